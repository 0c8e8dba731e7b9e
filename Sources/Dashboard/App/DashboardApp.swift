import DescentCore
import Dispatch
import Foundation
import Synchronization

/// The dashboard on the real terminal: curses set up and given back, signals caught.
public enum DashboardApp {
  /// Runs until the user quits or a signal arrives; returns the exit status.
  public static func run(_ options: DashboardOptions, train: Dataset, test: Dataset?) throws -> Int32 {
    SignalFlag.install()
    defer { SignalFlag.uninstall() }
    let environment = ProcessInfo.processInfo.environment
    let noColor = !(environment["NO_COLOR"] ?? "").isEmpty  // no-color.org; ncurses ignores it
    let terminal = try Terminal(monochrome: noColor, ascii: options.ascii)
    defer { terminal.close() }
    var loop = RunLoop(options: options, backend: terminal, train: train, test: test)
    loop.crashForTesting = environment["DESCENT_TEST_CRASH"] == "1"
    return try loop.run(
      interrupted: {
        let signal = SignalFlag.caught.load(ordering: .relaxed)
        return signal == 0 ? nil : 128 + signal
      },
      continued: { SignalFlag.continued.exchange(false, ordering: .relaxed) })
  }
}

/// The last signal caught (0 for none), and whether a SIGCONT came, set by plain `sigaction`
/// handlers that the loop reads within a tenth of a second.
///
/// Not Dispatch signal sources: on Linux they read a `signalfd`, which sees a signal only if
/// every thread blocks it; a thread started before (a Dispatch worker) took it instead and,
/// the signal being ignored, dropped it, so under load a SIGPROF once did not end the dashboard.
/// A handler runs on whichever thread the signal lands, and an atomic store is safe in it.
enum SignalFlag {
  static let caught = Atomic<Int32>(0)
  static let continued = Atomic<Bool>(false)

  /// Every signal whose default action ends the process (and SIGPIPE, SIGXFSZ) sets `caught`,
  /// so the loop can restore the terminal and remove its temporary files; SIGCONT asks for a
  /// repaint. A signal the parent set to be ignored (`nohup`) stays ignored.
  static func install() {
    // The atomics are made now: a lazy global's first use must not be inside a handler.
    _ = caught.load(ordering: .relaxed)
    _ = continued.load(ordering: .relaxed)
    for number in TemporaryFiles.endingSignals + [SIGPIPE, SIGXFSZ] where !ignoredByParent(number) {
      handle(number) { SignalFlag.caught.store($0, ordering: .relaxed) }
    }
    handle(SIGCONT) { _ in SignalFlag.continued.store(true, ordering: .relaxed) }
  }

  /// The actions in place before `install`, given back by `uninstall`.
  nonisolated(unsafe) private static var previous: [(Int32, sigaction)] = []

  /// The actions from before `install` again, once the terminal is given back; a closed pipe
  /// or a full file stays a write error for what is printed after (not a silent death).
  static func uninstall() {
    for (number, action) in previous.reversed() {
      var action = action
      sigaction(number, &action, nil)
    }
    previous = []
    signal(SIGPIPE, SIG_IGN)
    signal(SIGXFSZ, SIG_IGN)
  }

  private static func ignoredByParent(_ number: Int32) -> Bool {
    var previous = sigaction()
    guard sigaction(number, nil, &previous) == 0 else { return true }
    guard let handler = previous.__sigaction_handler.sa_handler else { return false }
    return unsafeBitCast(handler, to: Int.self) == 1  // SIG_IGN
  }

  private static func handle(_ number: Int32, _ handler: @convention(c) (Int32) -> Void) {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = handler
    sigemptyset(&action.sa_mask)
    action.sa_flags = SA_RESTART
    var old = sigaction()
    guard sigaction(number, &action, &old) == 0 else { return }
    previous.append((number, old))
  }
}
