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
    let terminal = try Terminal(monochrome: noColor)
    defer { terminal.close() }
    var themes = ThemeCatalog.names()
    var screen = Screen(theme: .standard)
    var message: String?
    if terminal.colors == 0 {
      screen.theme = .mono
      themes = ["mono"]
    } else {
      do throws(ThemeProblems) {
        screen.theme = try ThemeCatalog.load(options.theme)
      } catch {
        message = "\(error.problems[0]); using the default theme"
      }
    }
    let session = TrainingSession(settings: options.settings, train: train, test: test, paused: options.paused)
    session.start()
    defer { session.stop() }

    var model = DashboardModel(
      settings: options.settings, width: terminal.width, height: terminal.height, presentation: options.presentation)
    model.message = message
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

    var background = false
    while !model.quit {
      let signal = caught.value.load(ordering: .relaxed)
      if signal != 0 {
        status = 128 + signal
        break
      }
      // Stopped and continued from outside, the process may be in the background: it must not
      // draw over the shell nor read its keys (that would stop it again), and it repaints the
      // whole screen once it is in the foreground.
      if !terminal.inForeground {
        background = true
        usleep(100_000)
        continue
      }
      if background || caught.continued.exchange(false, ordering: .relaxed) {
        background = false
        terminal.repaint()
        dirty = true
      }
      if let limit = options.exitAfter, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 >= limit { break }

      let idle = model.snapshot?.state != .running
      sweep.reconcile(&model, main: session, train: train, test: test)
      var key = terminal.read(timeout: idle ? 100 : 15)
      while let pressed = key {
        let shown = model.message
        if let action = KeyMap.action(for: pressed, touring: model.tourStage != nil) {
          if action == .resize { model.resize(width: terminal.width, height: terminal.height) }
          if action == .cycleTheme {
            let next = themes[((themes.firstIndex(of: screen.theme.name) ?? -1) + 1) % themes.count]
            do throws(ThemeProblems) {
              screen.theme = try ThemeCatalog.load(next)
              model.message = "theme \(next)"
            } catch {
              model.message = "\(error.problems[0]); theme unchanged"
            }
            messageSince = DispatchTime.now().uptimeNanoseconds
          }
          if action == .export, let snapshot = model.snapshot {
            let started = exporter.start(
              snapshot: snapshot, settings: model.settings, theme: screen.theme, logScale: model.logScale,
              baseline: model.showBaseline)
            model.message = started ? "exporting…" : "an export is being written; e again when it is done"
          }
          for command in model.handle(action) { sweep.send(command, view: model.view, main: session) }
          if model.message != shown { messageSince = DispatchTime.now().uptimeNanoseconds }
          dirty = true
        }
        key = model.quit ? nil : terminal.read(timeout: 0)
      }
      if model.message != nil && DispatchTime.now().uptimeNanoseconds - messageSince > 8_000_000_000 {
        model.message = nil
        dirty = true
      }
      if let failure = session.failures.take() {
        model.message = failure
        messageSince = DispatchTime.now().uptimeNanoseconds
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
    if options.printCommand { print(model.settings.commandLine) }
    if let path = options.statsJSON {
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      let last = session.snapshots.take() ?? model.snapshot
      try writeStats(
        to: path, iterations: last?.totalIterations ?? 0, frames: frames, frameTimes: frameTimes, seconds: seconds)
    }
    return status
  }

  /// Every signal whose default action ends the process (and SIGPIPE) sets a flag the loop
  /// reads within a tenth of a second, so it can restore the terminal and remove its temporary
  /// files; SIGCONT asks for a repaint.
  private static func installSignalHandlers(_ caught: SignalFlag) -> [any DispatchSourceSignal] {
    let queue = DispatchQueue(label: "descent.signals")
    let ending = TemporaryFiles.endingSignals + [SIGPIPE, SIGXFSZ]
    var sources = ending.map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler { @Sendable in caught.value.store(number, ordering: .relaxed) }
      source.resume()
      return source
    }
    let resumed = DispatchSource.makeSignalSource(signal: SIGCONT, queue: queue)
    resumed.setEventHandler { @Sendable in caught.continued.store(true, ordering: .relaxed) }
    resumed.resume()
    sources.append(resumed)
    return sources
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

/// The last signal caught (0 for none), and whether a SIGCONT came, shared with the signal queue.
final class SignalFlag: Sendable {
  let value = Atomic<Int32>(0)
  let continued = Atomic<Bool>(false)
}
