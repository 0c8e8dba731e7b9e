import DescentCore
import Dispatch
import Foundation

/// The dashboard's main loop: keys in, effects carried out, snapshots in, frames drawn. Everything
/// here runs on the calling thread; only the trainers run elsewhere.
struct RunLoop {
  let options: DashboardOptions
  let backend: any Backend
  let train: Dataset
  let test: Dataset?
  /// Crash after the second frame (to test that the terminal is restored).
  var crashForTesting = false

  init(options: DashboardOptions, backend: any Backend, train: Dataset, test: Dataset?) {
    self.options = options
    self.backend = backend
    self.train = train
    self.test = test
  }

  /// What a run left behind, for the statistics file and the tests.
  struct Outcome {
    var model: DashboardModel
    var frames: Int
    var frameTimes: [Double]
    var seconds: Double
    var iterations: Int
  }

  /// Runs until the user quits, `interrupted` returns an exit status (a signal's), or
  /// `--exit-after`; then writes what `--print-command` and `--stats-json` ask for. `continued`
  /// says whether the process was stopped and continued from outside since it last asked.
  func run(interrupted: () -> Int32? = { nil }, continued: () -> Bool = { false }) throws -> Int32 {
    let (status, outcome) = try loop(interrupted: interrupted, continued: continued)
    backend.close()
    if options.printCommand { print(outcome.model.commandLine) }
    if let path = options.statsJSON {
      try writeStats(outcome, to: path)
    }
    return status
  }

  /// The loop itself; returns the exit status and what the run left behind.
  func loop(interrupted: () -> Int32? = { nil }, continued: () -> Bool = { false }) throws -> (Int32, Outcome) {
    var screen = Screen(theme: Theme.standard.adapted(toColors: backend.colors))
    var model = DashboardModel(
      settings: options.settings, width: backend.width, height: backend.height, presentation: options.presentation)
    let start = DispatchTime.now().uptimeNanoseconds
    _ = model.tick(now: start)
    model.sweepSizes = options.sweepSizes
    if backend.colors == 0 {
      screen.theme = .mono
      model.themeNames = ["mono"]
    } else {
      model.themeNames = ThemeCatalog.names()
      do throws(ThemeProblems) {
        screen.theme = try ThemeCatalog.load(options.theme).adapted(toColors: backend.colors)
      } catch {
        model.say("\(error.problems[0]); using the default theme", .error)
      }
    }
    if model.status == nil && backend.ascii && !options.ascii {
      model.say(Glyphs.localeHint(environment: ProcessInfo.processInfo.environment))
    }
    model.asciiForced = options.ascii
    if backend.ascii { model.mathGlyphs = .ascii }
    model.themeName = screen.theme.name
    let session = TrainingSession(settings: options.settings, train: train, test: test, paused: options.paused)
    var recorder = Recorder()
    // Recording or replaying, the trainer waits at iteration 0 until the start is set up (a
    // lesson's first stage), so the iterations count from the same place both times.
    if options.replay != nil || options.record != nil {
      recorder.holdAtStart(session, replaying: options.replay != nil)
    }
    if let replay = options.replay {
      if (replay.width, replay.height) != (backend.width, backend.height) {
        model.say(
          "recorded at \(replay.width)x\(replay.height), shown at \(backend.width)x\(backend.height): clicks land elsewhere",
          .error)
      }
    }
    session.start()
    defer { session.stop() }
    var sweep = SweepSessions()
    defer { sweep.stop() }
    let exporter = Exporter()
    defer { exporter.finish() }
    // Each check's report with its number. The number of the check on show: a newer v (or the
    // end of the run) stops an older one, which on a large network would otherwise keep a core for
    // minutes, and the report of one that ended meanwhile is not shown.
    let gradientChecks = Mailbox<GradientCheckReport.Numbered>()
    let currentCheck = Locked(0)
    defer { currentCheck.withLock { $0 += 1 } }

    /// Carries out what the model asked for.
    func carryOut(_ effects: [Effect]) {
      for effect in effects {
        switch effect {
        case .main(let command):
          session.send(command)
        case .sweep(let command):
          sweep.send(command)
        case .startSweep:
          let data = model.snapshot.map { ($0.data, $0.test) } ?? (train, test)
          let paused = model.sweepStartsPaused
          model.sweepStartsPaused = false
          if let card = model.card, model.view == .sweep {
            sweep.start(
              panels: Card.all[card].panelSettings(model.settings), settings: model.settings, train: data.0,
              test: data.1, paused: paused, hold: recorder.sweepStart)
          } else {
            sweep.start(
              panels: model.panelRules, settings: model.settings, train: data.0, test: data.1, paused: paused,
              hold: recorder.sweepStart)
          }
        case .stopSweep:
          sweep.stop()
        case .loadTheme(let name):
          do throws(ThemeProblems) {
            screen.theme = try ThemeCatalog.load(name).adapted(toColors: backend.colors)
            model.themeLoaded(name)
          } catch {
            model.themeLoaded(name, problem: "\(error.problems[0])")
          }
        case .export:
          guard let snapshot = model.snapshot else { break }
          let started = exporter.start(
            snapshot: snapshot, settings: model.settings, theme: screen.theme, logScale: model.logScale,
            baseline: model.showBaseline, command: model.commandLine)
          if started {
            model.say("exporting…")
          } else {
            model.say("an export is being written; e again when it is done", .error)
          }
        case .record:
          toggleRecording()
        case .checkGradient:
          guard let snapshot = model.snapshot, let started = model.gradientCheck else { break }
          let (network, training) = (snapshot.boundaryNetwork, snapshot.settings.setup.training)
          let data = snapshot.data.subset(Array(0..<started.points))
          let number = currentCheck.withLock { number in
            number += 1
            return number
          }
          // Four passes over the points a parameter: seconds for a large network, so not on this thread.
          DispatchQueue.global(qos: .userInitiated).async {
            var report = started
            report.layers = GradientCheck.worstRelativeErrors(
              network, on: data, lambda: training.lambda, regularization: training.regularization,
              stopped: { currentCheck.withLock { $0 } != number })
            gradientChecks.post(GradientCheckReport.Numbered(number: number, report: report))
          }
        case .quit:
          break
        }
      }
    }

    /// R: starts recording from a fresh run of what is on screen (a lesson's stage from its
    /// start), or stops and writes the file.
    func toggleRecording() {
      if recorder.mode == .recording {
        let result = recorder.stopRecording(at: model.snapshot?.totalIterations ?? 0)
        model.say(result.text, result.kind)
        return
      }
      guard recorder.mode == .off else { return }
      guard !options.served else {
        model.say(Recorder.servedRefusal, .error)
        return
      }
      // A lesson's stage starts again, its panels too; elsewhere the sweep's panels would go on
      // from where they are, which a replay cannot start from.
      guard model.view == .boundary || model.stage != nil else {
        model.say("recording starts in the boundary view: press g or u to leave this one", .error)
        return
      }
      let path = options.record ?? Recorder.freePath()
      // The trainer stops first and the run starts again while it waits, so the recording's
      // iterations count from the very step the new run starts at, as a replay's do.
      recorder.startRecording(Recording(setup: [], width: backend.width, height: backend.height), to: path, from: 0)
      guard let (snapshot, _) = recorder.stopForKey(session, sweep: &sweep) else {
        recorder.cancelRecording()
        model.say("the trainer did not stop in time; nothing is recorded", .error)
        return
      }
      var recording: Recording
      if let stage = model.stage {
        carryOut(model.restartStage())
        recording = Recording(
          setup: [], lesson: options.lessonName, stage: stage, width: backend.width, height: backend.height)
      } else {
        carryOut(model.restartForRecording())
        recording = Recording(setup: model.recordedSetup, width: backend.width, height: backend.height)
      }
      recorder.startRecording(recording, to: path, from: snapshot.totalIterations)
      recorder.release(session, sweep: &sweep)
      model.say("recording to \(path): R again stops and writes it")
    }

    if options.sweep { carryOut(model.show(.sweep)) }
    if options.view == .code {
      carryOut(model.handle(.toggleCode))
    } else if let view = options.view {
      carryOut(model.show(view))
    }
    if let lesson = options.lesson { carryOut(model.start(lesson, at: options.lessonStage)) }
    if let replay = options.replay {
      recorder.startReplay(replay, session: session, sweep: &sweep)
      if replay.events.isEmpty, let done = recorder.advance(session, sweep: &sweep) { model.say(done.text, done.kind) }
    } else if let path = options.record {
      recorder.startRecording(
        Recording(
          setup: options.lesson == nil ? model.recordedSetup : [], lesson: options.lessonName,
          stage: options.lessonStage, width: backend.width, height: backend.height),
        to: path, from: 0)
      recorder.release(session, sweep: &sweep)
    }
    var frameTimes: [Double] = []
    var frames = 0
    var dirty = true
    var status: Int32 = 0

    var background = false
    var sentTrace: TraceRequest?
    while !model.quit {
      if let signal = interrupted() {
        status = signal
        break
      }
      // Stopped and continued from outside, the process may be in the background: it must not
      // draw over the shell nor read its keys (that would stop it again), and it repaints the
      // whole screen once it is in the foreground.
      if !backend.inForeground {
        background = true
        usleep(100_000)
        continue
      }
      if background || continued() {
        background = false
        backend.repaint()
        dirty = true
      }
      let now = DispatchTime.now().uptimeNanoseconds
      if let limit = options.exitAfter, Double(now - start) / 1e9 >= limit { break }
      if model.tick(now: now) { dirty = true }

      let idle = model.snapshot?.state != .running
      var key = backend.read(timeout: idle ? 100 : 15)
      while let pressed = key {
        if let action = KeyMap.action(for: pressed, inLesson: model.stage != nil, view: model.view) {
          if action == .resize { model.resize(width: backend.width, height: backend.height) }
          if !recorder.allows(action) {
            model.say("replaying: space pauses, s steps, + and - set the pace, q quits", .information)
          } else if recorder.mode == .recording && action != .record && action != .resize {
            if let (snapshot, panels) = recorder.stopForKey(session, sweep: &sweep) {
              model.snapshot = snapshot
              for (i, panel) in panels.enumerated() where model.sweep.indices.contains(i) { model.sweep[i] = panel }
              model.refreshCaption()
              model.pickedSeed = nil
              carryOut(model.handle(action))
              recorder.noteEvent(pressed, action: action, at: snapshot, panels: panels, seed: model.pickedSeed)
            } else {
              model.say("the trainer did not stop in time; that key is not in the recording", .error)
              carryOut(model.handle(action))
            }
            recorder.release(session, sweep: &sweep)
          } else {
            carryOut(model.handle(action))
          }
          dirty = true
        }
        key = model.quit ? nil : backend.read(timeout: 0)
      }
      // The code view's and the inspector's step is worked out on the trainer's thread.
      if model.traceRequest != sentTrace {
        sentTrace = model.traceRequest
        session.send(.trace(sentTrace))
      }
      if let failure = session.failures.take() {
        model.say(failure, .error)
        dirty = true
      }
      while let due = recorder.dueEvent(session, sweep: &sweep) {
        model.snapshot = due.snapshot
        for (i, panel) in due.panels.enumerated() where model.sweep.indices.contains(i) { model.sweep[i] = panel }
        model.refreshCaption()
        if let problem = due.problem { model.say(problem, .error) }
        model.givenSeed = due.event.seed
        if let action = KeyMap.action(for: due.event.key, inLesson: model.stage != nil) {
          carryOut(model.handle(action))
        }
        model.givenSeed = nil
        if let done = recorder.advance(session, sweep: &sweep) { model.say(done.text, done.kind) }
        dirty = true
      }
      if let snapshot = session.snapshots.take(), !model.isFromAnEarlierStage(snapshot) {
        model.snapshot = snapshot
        model.refreshCaption()
        dirty = true
      }
      for (i, snapshot) in sweep.take() where model.sweep.indices.contains(i) {
        model.sweep[i] = snapshot
        model.refreshCaption()
        dirty = true
      }
      if backend.takeResize() { dirty = true }
      if let checked = gradientChecks.take(), checked.number == currentCheck.withLock({ $0 }) {
        model.gradientChecked(checked.report)
        dirty = true
      }
      if let result = exporter.results.take() {
        model.say(result.text, result.kind)
        dirty = true
      }
      if dirty && !model.quit {
        let t0 = DispatchTime.now().uptimeNanoseconds
        backend.draw(screen.render(model))
        // The trainers work out the regions for the sizes just drawn and the side view's figure;
        // a new size or figure comes with their next snapshot.
        if let size = screen.regionSizes.main { session.showRegions(size) }
        session.showFigure(screen.figureRequest)
        sweep.showRegions(screen.regionSizes.sweep)
        frameTimes.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        if frameTimes.count > 100_000 { frameTimes.removeFirst(50_000) }
        frames += 1
        dirty = false
        if crashForTesting && frames == 2 {
          fatalError("DESCENT_TEST_CRASH is set: crashing on purpose to test that the terminal is restored")
        }
      }
    }
    if recorder.mode == .recording {
      let result = recorder.stopRecording(at: model.snapshot?.totalIterations ?? 0)
      if result.kind == .error { FileHandle.standardError.write(Data("descent: \(result.text)\n".utf8)) }
    }
    session.stop()
    sweep.stop()
    let last = session.snapshots.take() ?? model.snapshot
    if let last { model.snapshot = last }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return (
      status,
      Outcome(
        model: model, frames: frames, frameTimes: frameTimes, seconds: seconds,
        iterations: last?.totalIterations ?? 0)
    )
  }

  /// The last figures of the run on screen, for the stats JSON: the loss, and the accuracy with
  /// each class's and the confusion matrix, or the RMSE (JSON null where there is none yet).
  static func scoreFields(_ snapshot: Snapshot?) -> String {
    func number(_ value: Double?) -> String { value.map { $0.isFinite ? "\($0)" : "null" } ?? "null" }
    var fields = [("loss", number(snapshot?.loss))]
    if let rmse = snapshot?.rmse {
      fields.append(("rmse", number(rmse)))
    } else if let confusion = snapshot?.confusion {
      fields.append(("accuracy", number(snapshot?.accuracy)))
      let shares = (0..<confusion.classes).map { number(confusion.accuracy(of: $0)) }
      fields.append(("per_class_accuracy", "[\(shares.joined(separator: ", "))]"))
      let rows = confusion.counts.map { "[\($0.map(String.init).joined(separator: ", "))]" }
      fields.append(("confusion", "[\(rows.joined(separator: ", "))]"))
    }
    return fields.map { ",\n  \"\($0.0)\": \($0.1)" }.joined()
  }

  /// In the sweep or the race: each panel's iterations and loss, and the panels' iterations per
  /// second together (they train at once, one thread each).
  static func panelFields(_ outcome: Outcome) -> String {
    let model = outcome.model
    guard model.view.hasPanels else { return "" }
    let panels = zip(model.sweepTitles, model.sweep).map { title, snapshot in
      let loss = snapshot?.loss.map { $0.isFinite ? "\($0)" : "null" } ?? "null"
      return "{\"panel\": \"\(title)\", \"iterations\": \(snapshot?.totalIterations ?? 0), \"loss\": \(loss)}"
    }
    let total = model.sweep.compactMap { $0?.totalIterations }.reduce(0, +)
    return ",\n  \"panels\": [\(panels.joined(separator: ", "))]"
      + ",\n  \"panel_iterations_per_second\": \(String(format: "%.1f", Double(total) / max(outcome.seconds, 1e-9)))"
  }

  private func writeStats(_ outcome: Outcome, to path: String) throws {
    let sorted = outcome.frameTimes.sorted()
    func percentile(_ p: Double) -> Double {
      sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
    }
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    let json = """
      {
        "seconds": \(String(format: "%.3f", outcome.seconds)),
        "iterations": \(outcome.iterations),
        "last_iteration": \(outcome.model.snapshot.flatMap { PostNumbering.iteration(after: $0.iteration) } ?? -1),
        "iterations_per_second": \(String(format: "%.1f", Double(outcome.iterations) / max(outcome.seconds, 1e-9))),
        "frames": \(outcome.frames),
        "frame_ms_p50": \(String(format: "%.3f", percentile(0.5))),
        "frame_ms_p99": \(String(format: "%.3f", percentile(0.99))),
        "peak_memory_mb": \(String(format: "%.1f", Double(usage.ru_maxrss) / 1024))\(Self.scoreFields(outcome.model.snapshot))\(Self.panelFields(outcome))
      }

      """
    try AtomicFile.write(json, to: path)
  }
}
