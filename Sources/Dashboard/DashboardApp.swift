import DescentCore
import Dispatch
import Foundation
import Synchronization

/// How the dashboard starts, beyond the knobs.
public struct DashboardOptions: Sendable {
  public var settings: Settings
  public var paused = false
  /// Quit by itself after this many seconds (for tests and benchmarks).
  public var exitAfter: Double?
  /// Where to write run statistics on exit.
  public var statsJSON: String?
  /// A theme name or path (`--theme`).
  public var theme = "default"
  public var presentation = Presentation()
  /// Start in the hidden-size sweep view (`--sweep`), with these sizes.
  public var sweep = false
  public var sweepSizes = [1, 2, 3, 4, 5, 20, 50]
  /// Run the guided tour (`descent tour`).
  public var tour = false
  /// Print the command line that recreates the final setup on exit.
  public var printCommand = false
  /// Draw in ASCII even in a UTF-8 locale (`--ascii`).
  public var ascii = false

  public init(settings: Settings) { self.settings = settings }
}

/// The dashboard's main loop: keys in, commands to the trainer, snapshots out, frames drawn.
/// Everything here runs on the calling thread; only the trainer runs elsewhere.
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
    var themes = ThemeCatalog.names()
    var screen = Screen(theme: Theme.standard.adapted(toColors: terminal.colors))
    var message: StatusMessage?
    if terminal.colors == 0 {
      screen.theme = .mono
      themes = ["mono"]
    } else {
      do throws(ThemeProblems) {
        screen.theme = try ThemeCatalog.load(options.theme).adapted(toColors: terminal.colors)
      } catch {
        message = StatusMessage("\(error.problems[0]); using the default theme", .error)
      }
    }
    let session = TrainingSession(settings: options.settings, train: train, test: test, paused: options.paused)
    try session.start()
    defer { session.stop() }

    var model = DashboardModel(
      settings: options.settings, width: terminal.width, height: terminal.height, presentation: options.presentation)
    if message == nil && terminal.ascii && !options.ascii {
      message = "no UTF-8 locale: drawn in ASCII; LANG=C.UTF-8 shows the full picture"
    }
    model.message = message
    model.asciiForced = options.ascii
    if message == nil && terminal.colors > 0 { model.themeArgument = options.theme }
    model.sweepSizes = options.sweepSizes
    if options.sweep { model.view = .sweep }
    if options.tour { for command in model.startTour() { session.send(command) } }
    var sweep = SweepSessions()
    defer { sweep.stop() }
    let exporter = Exporter()
    defer { exporter.finish() }
    var messageSince = DispatchTime.now().uptimeNanoseconds
    var frameTimes: [Double] = []
    var frames = 0
    let start = DispatchTime.now().uptimeNanoseconds
    var dirty = true
    var status: Int32 = 0
    let crashForTesting = environment["DESCENT_TEST_CRASH"] == "1"

    while !model.quit {
      let signal = caught.value.load(ordering: .relaxed)
      if signal != 0 {
        status = 128 + signal
        break
      }
      if let limit = options.exitAfter, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 >= limit { break }

      let idle = model.snapshot?.state != .running
      sweep.reconcile(&model, main: session, train: train, test: test)
      var key = terminal.read(timeout: idle ? 100 : 15)
      let keyCame = key != nil && key != .resize
      let messageBeforeKeys = model.message
      while let pressed = key {
        let shown = model.message
        if let action = KeyMap.action(for: pressed, touring: model.tourStage != nil) {
          if action == .resize { model.resize(width: terminal.width, height: terminal.height) }
          if action == .cycleTheme {
            let next = themes[((themes.firstIndex(of: screen.theme.name) ?? -1) + 1) % themes.count]
            do throws(ThemeProblems) {
              screen.theme = try ThemeCatalog.load(next).adapted(toColors: terminal.colors)
              model.message = "theme \(next)"
              model.themeArgument = next
            } catch {
              model.message = StatusMessage("\(error.problems[0]); theme unchanged", .error)
            }
            messageSince = DispatchTime.now().uptimeNanoseconds
          }
          if action == .export, let snapshot = model.snapshot {
            let started = exporter.start(
              snapshot: snapshot, settings: model.settings, theme: screen.theme, logScale: model.logScale,
              baseline: model.showBaseline, command: model.commandLine)
            model.message =
              started ? "exporting…" : StatusMessage("an export is being written; e again when it is done", .error)
          }
          for command in model.handle(action) { sweep.send(command, view: model.view, main: session) }
          if model.message != shown { messageSince = DispatchTime.now().uptimeNanoseconds }
          dirty = true
        }
        key = model.quit ? nil : terminal.read(timeout: 0)
      }
      // A message goes with the first key after it has been on for its minimum time.
      if keyCame && model.message != nil && model.message == messageBeforeKeys
        && DispatchTime.now().uptimeNanoseconds - messageSince >= StatusMessage.minimumNanoseconds
      {
        model.message = nil
        dirty = true
      }
      if let snapshot = session.snapshots.take() {
        model.snapshot = snapshot
        dirty = true
      }
      if sweep.collect(into: &model) { dirty = true }
      if terminal.takeResize() { dirty = true }
      if let result = exporter.results.take() {
        model.message = result
        messageSince = DispatchTime.now().uptimeNanoseconds
        dirty = true
      }
      if dirty && !model.quit {
        let t0 = DispatchTime.now().uptimeNanoseconds
        terminal.draw(screen.render(model))
        frameTimes.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        if frameTimes.count > 100_000 { frameTimes.removeFirst(50_000) }
        frames += 1
        dirty = false
        if crashForTesting && frames == 2 {
          fatalError("DESCENT_TEST_CRASH is set: crashing on purpose to test that the terminal is restored")
        }
      }
    }
    session.stop()
    sweep.stop()
    terminal.close()
    if options.printCommand { print(model.commandLine) }
    if let path = options.statsJSON {
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      let last = session.snapshots.take() ?? model.snapshot
      try writeStats(
        to: path, iterations: last?.totalIterations ?? 0, frames: frames, frameTimes: frameTimes, seconds: seconds)
    }
    return status
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

  private static func writeStats(to path: String, iterations: Int, frames: Int, frameTimes: [Double], seconds: Double)
    throws
  {
    let sorted = frameTimes.sorted()
    func percentile(_ p: Double) -> Double {
      sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
    }
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    let json = """
      {
        "seconds": \(String(format: "%.3f", seconds)),
        "iterations": \(iterations),
        "iterations_per_second": \(String(format: "%.1f", Double(iterations) / max(seconds, 1e-9))),
        "frames": \(frames),
        "frame_ms_p50": \(String(format: "%.3f", percentile(0.5))),
        "frame_ms_p99": \(String(format: "%.3f", percentile(0.99))),
        "peak_memory_mb": \(String(format: "%.1f", Double(usage.ru_maxrss) / 1024))
      }

      """
    try AtomicFile.write(json, to: path)
  }
}

/// The last signal caught (0 for none), shared with the signal queue.
final class SignalFlag: Sendable {
  let value = Atomic<Int32>(0)
}
