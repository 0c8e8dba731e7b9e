import DescentCore
import Dispatch
import Foundation
import Synchronization

/// The dashboard on the real terminal: curses set up and given back, signals caught.
public enum DashboardApp {
  /// Runs until the user quits or a signal arrives; returns the exit status.
  public static func run(_ options: DashboardOptions, train: Dataset, test: Dataset?) throws -> Int32 {
    let caught = SignalFlag()
    let sources = installSignalHandlers(caught)
    defer { sources.forEach { $0.cancel() } }
    let environment = ProcessInfo.processInfo.environment
    let noColor = !(environment["NO_COLOR"] ?? "").isEmpty  // no-color.org; ncurses ignores it
    let terminal = try Terminal(monochrome: noColor, ascii: options.ascii)
    defer { terminal.close() }
    var loop = RunLoop(options: options, backend: terminal, train: train, test: test)
    loop.crashForTesting = environment["DESCENT_TEST_CRASH"] == "1"
    return try loop.run {
      let signal = caught.value.load(ordering: .relaxed)
      return signal == 0 ? nil : 128 + signal
    }
  }

  /// SIGINT, SIGTERM, SIGHUP and SIGQUIT set a flag the loop reads, so it can restore the terminal.
  private static func installSignalHandlers(_ caught: SignalFlag) -> [any DispatchSourceSignal] {
    let queue = DispatchQueue(label: "descent.signals")
    return [SIGINT, SIGTERM, SIGHUP, SIGQUIT].map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler { @Sendable in caught.value.store(number, ordering: .relaxed) }
      source.resume()
      return source
    }
  }
}

/// The last signal caught (0 for none), shared with the signal queue.
final class SignalFlag: Sendable {
  let value = Atomic<Int32>(0)
}
