import DescentCore
import Dispatch
import Foundation
import Testing

@testable import Dashboard

@Suite("Keys and the model")
struct ModelTests {
  @Test func keysMapToActions() {
    #expect(KeyMap.action(for: .char(" ")) == .togglePause)
    #expect(KeyMap.action(for: .char("j")) == .focusNext && KeyMap.action(for: .down) == .focusNext)
    #expect(KeyMap.action(for: .char(">")) == .adjust(1) && KeyMap.action(for: .left) == .adjust(-1))
    #expect(
      KeyMap.action(for: .left, inLesson: true) == .stage(-1) && KeyMap.action(for: .right, inLesson: true) == .stage(1)
    )
    #expect(KeyMap.action(for: .char("l")) == .toggleBaseline && KeyMap.action(for: .char("g")) == .toggleSweep)
    #expect(KeyMap.action(for: .char("3")) == .pickClass(3) && KeyMap.action(for: .char("]")) == .nextPage)
    #expect(
      KeyMap.action(for: .mouse(x: 3, y: 4, secondary: true, dragging: false)) == .secondaryClick(x: 3, y: 4))
    #expect(KeyMap.action(for: .char("L")) == .adjust(3) && KeyMap.action(for: .shiftLeft) == .adjust(-3))
    #expect(KeyMap.action(for: .char("q")) == .quit)
    #expect(KeyMap.action(for: .char("o")) == nil, "an unbound key does nothing")
    #expect(KeyMap.action(for: .char("W")) == .toggleNetwork && KeyMap.action(for: .char("h")) == .hiddenSpace)
    #expect(KeyMap.action(for: .char("z")) == .toggleDiscretize)
  }

  static func restart(_ change: (inout RunSetup) -> Void, _ label: String) -> [TrainerSees] {
    var setup = RunSetup.post
    change(&setup)
    return [.restart(setup, label: label)]
  }

  @Test func adjustingSendsTheTrainerTheNewValue() {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    #expect(model.trainerSees(.adjust(1)) == Self.restart({ $0.hidden = 4 }, "hidden 4"))
    #expect(model.trainerSees(.focusNext) == [])
    #expect(model.trainerSees(.adjust(1)) == [.set(.epsilon, 0.02)])
    #expect(model.trainerSees(.focusNext) == [] && model.trainerSees(.adjust(-3)) == [.set(.lambda, 0.001)])
    #expect(model.trainerSees(.faster) == [.set(.speed, 2000)])
    #expect(model.focus == .lambda)
    #expect(model.trainerSees(.focusPrevious) == [] && model.focus == .epsilon)
  }

  @Test func nothingIsSentWhenAKnobIsAtItsEnd() {
    var settings = Settings()
    settings.setup.hidden = 1
    var model = DashboardModel(settings: settings, width: 80, height: 24)
    #expect(model.trainerSees(.adjust(-1)) == [])
  }

  /// A knob moved where it means nothing (shown "–") says where it does, and sends nothing.
  @Test func aKnobThatDoesNotApplySaysWhereItDoes() {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    model.focus = .classes
    #expect(model.trainerSees(.adjust(1)) == [])
    #expect(model.message == "classes applies to the blobs and the spiral")
    model.focus = .momentum
    #expect(model.trainerSees(.adjust(-3)) == [])
    #expect(model.message == "momentum applies to the momentum and nesterov optimizers")
    var blobs = Settings()
    blobs.setup.source = .generated(.blobs)
    model = DashboardModel(settings: blobs, width: 80, height: 24)
    model.focus = .classes
    #expect(model.trainerSees(.adjust(1)) != [])
    #expect(model.message == nil)
  }

  @Test func clickingASliderSetsIt() {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    let knobs = model.layout.knobs
    let track = KnobPanel.track(in: knobs)
    let commands = model.trainerSees(
      .click(x: track.x + track.width - 1, y: KnobPanel.row(of: .epsilon, in: knobs, knobs: model.pageKnobs)!))
    #expect(commands == [.set(.epsilon, 10)])
    #expect(model.focus == .epsilon)
    #expect(
      model.trainerSees(.click(x: track.x, y: KnobPanel.row(of: .hidden, in: knobs, knobs: model.pageKnobs)!))
        == Self.restart(
          {
            $0.hidden = 1
            $0.training.epsilon = 10
          }, "hidden 1"))
    #expect(model.trainerSees(.click(x: 1, y: 1)) == [])
  }
}

@Suite("Training session", .serialized)
struct SessionTests {
  static func settings(speed: Double = .infinity) -> Settings {
    var settings = Settings()
    settings.speed = speed
    settings.passes = 100_000_000
    return settings
  }

  /// Waits (up to `timeout` seconds) for a snapshot that satisfies `condition`.
  static func waitFor(_ session: TrainingSession, timeout: UInt64 = 30, _ condition: (Snapshot) -> Bool) -> Snapshot? {
    let deadline = DispatchTime.now().uptimeNanoseconds + timeout * 1_000_000_000
    while DispatchTime.now().uptimeNanoseconds < deadline {
      if let s = session.snapshots.take(), condition(s) { return s }
      usleep(2000)
    }
    return nil
  }

  static func start(_ settings: Settings, paused: Bool = false) throws -> TrainingSession {
    let (train, test) = try settings.setup.loadData()
    let session = TrainingSession(settings: settings, train: train, test: test, paused: paused)
    session.start()
    return session
  }

  @Test func epsilonAppliesLiveAndHiddenRestarts() throws {
    let session = try Self.start(Self.settings())
    defer { session.stop() }
    let before = try #require(Self.waitFor(session) { $0.iteration > 2000 })
    var settings = Self.settings()
    settings.setup.training.epsilon = 0.02
    session.send(.apply(settings))
    let after = try #require(Self.waitFor(session) { $0.settings.setup.training.epsilon == 0.02 })
    #expect(after.run == before.run && after.iteration >= before.iteration)
    #expect(after.history.markers.last?.label == "ε 0.02")
    settings.setup.hidden = 5
    session.send(.apply(settings))
    let restarted = try #require(Self.waitFor(session) { $0.run > before.run })
    #expect(restarted.boundaryNetwork.sizes == [2, 5, 2])
    #expect(restarted.iteration < after.iteration)
    #expect(restarted.history.markers.last?.label == "hidden 5")
  }

  /// A question stage waits at iteration 0 however the trainer takes the stage's commands: here
  /// one at a time, with the last stage's run going on between them (as under load).
  @Test func aQuestionStageWaitsAtIterationZeroWhateverTheTiming() throws {
    var question = LessonStage(title: "A large step", caption: "it bounces", settings: Self.settings())
    question.question = "Will it learn faster?"
    question.paused = true
    let running = LessonStage(title: "The post", caption: "it learns", settings: Self.settings())
    var model = DashboardModel(settings: Self.settings(), width: 80, height: 24)
    _ = model.start(Lesson(name: "test", title: "A test", stages: [running, question]))
    let session = try Self.start(model.settings)
    defer { session.stop() }
    let before = try #require(Self.waitFor(session) { $0.iteration > 100 && $0.state == .running })
    model.snapshot = before
    for case .main(let command) in model.handle(.stage(1)) {
      session.send(command)
      usleep(100_000)  // the trainer takes this command alone and goes on
    }
    let stageRun = try #require(model.stageRun)
    let shown = try #require(Self.waitFor(session) { $0.run >= stageRun && $0.state != .running })
    model.snapshot = shown
    model.refreshCaption()
    #expect(shown.iteration == 0 && shown.state == .paused)
    let title = model.presentation.title ?? ""
    #expect(title.contains("Question: Will it learn faster?"), "\(title)")
  }

  @Test func pausedMeansStillAndStepMeansOne() throws {
    let session = try Self.start(Self.settings(), paused: true)
    defer { session.stop() }
    let first = try #require(Self.waitFor(session) { _ in true })
    #expect(first.state == .paused && first.iteration == 0)
    session.send(.step)
    let stepped = try #require(Self.waitFor(session) { $0.iteration == 1 })
    #expect(stepped.state == .paused)
    #expect(stepped.boundaryIteration == 1)
    usleep(100_000)
    #expect(session.snapshots.take().map { $0.iteration } ?? 1 == 1)
    session.send(.resume)
    #expect(Self.waitFor(session) { $0.iteration > 100 && $0.state == .running } != nil)
  }

  /// Commands queued faster than the trainer takes them run in the order sent: here a pause, two
  /// steps and a resume, all queued before the thread starts, end running (a resume moved ahead of
  /// the steps would leave it paused after one step).
  @Test func queuedCommandsRunInTheOrderSent() throws {
    let settings = Self.settings()
    let (train, test) = try settings.setup.loadData()
    let session = TrainingSession(settings: settings, train: train, test: test)
    defer { session.stop() }
    for command in [Command.pause, .step, .step, .resume] { session.send(command) }
    session.start()
    #expect(Self.waitFor(session, timeout: 10) { $0.iteration > 100 && $0.state == .running } != nil)
  }

  /// A step asked for while a hold stops the trainer is not left over for a later pause: a
  /// resume in between takes its place.
  @Test func aStepAtAHoldIsNotTakenAfterAResume() throws {
    let settings = Self.settings()
    let (train, test) = try settings.setup.loadData()
    let session = TrainingSession(settings: settings, train: train, test: test, paused: true)
    defer { session.stop() }
    for command in [Command.hold(at: 0), .step, .resume] { session.send(command) }
    session.start()
    var held = session.holds.take()
    for _ in 0..<5000 where held == nil {
      usleep(2000)
      held = session.holds.take()
    }
    let stopped = try #require(held)
    #expect(stopped.snapshot.state == .running && stopped.snapshot.iteration == 0)
    session.send(.pause)
    session.send(.hold(at: nil))
    let first = try #require(Self.waitFor(session) { $0.state == .paused })
    usleep(200_000)
    let last = session.snapshots.take() ?? first
    #expect(last.iteration == 0 && last.state == .paused, "iteration \(last.iteration), \(last.state)")
  }

  @Test func pacedSpeedIsRespected() throws {
    let session = try Self.start(Self.settings(speed: 200))
    defer { session.stop() }
    usleep(1_000_000)
    let s = try #require(Self.waitFor(session) { _ in true })
    #expect(s.iteration >= 120 && s.iteration <= 260, "\(s.iteration) iterations in about a second at 200/s")
  }

  @Test func divergenceWaitsForResetOrSmallerEpsilon() throws {
    var settings = Self.settings()
    settings.setup.training.epsilon = 50
    let session = try Self.start(settings)
    defer { session.stop() }
    let diverged = try #require(
      Self.waitFor(session) { if case .diverged = $0.state { return true } else { return false } })
    #expect(diverged.loss == nil)
    settings.setup.training.epsilon = 0.01
    session.send(.apply(settings))
    let recovered = Self.waitFor(session) { $0.state == .running && $0.run > diverged.run && ($0.loss ?? 1) < 0.1 }
    #expect(recovered != nil)
  }

  @Test func theRunIsDoneAfterItsPasses() throws {
    var settings = Self.settings()
    settings.passes = 20000
    let session = try Self.start(settings)
    defer { session.stop() }
    let done = try #require(Self.waitFor(session, timeout: 120) { $0.state == .done })
    #expect(done.iteration == 20000)
    #expect(String(format: "%.6f", done.loss!) == "0.071316")
    #expect(done.accuracy == 0.975)
    #expect(done.boundaryIteration == 20000)
  }
}

@Suite("The session's loss log")
struct LossLogTests {
  @Test func keepsEveryRowThenTheCurrentRunThenItsNewestRows() {
    let log = LossLog(capacity: 10)
    log.append(train: (0..<6).map { LossLog.Row(run: 0, iteration: $0, loss: 1) }, test: [])
    log.append(
      train: (0..<3).map { LossLog.Row(run: 1, iteration: $0, loss: 2) },
      test: [LossLog.Row(run: 0, iteration: 5, loss: 3)])
    #expect(log.contents.train.count == 9)
    #expect(log.csv.hasPrefix("run,iteration,train_loss,test_loss\n0,0,1.0,\n"))
    #expect(log.csv.contains("\n0,5,1.0,3.0\n1,0,2.0,\n"))
    // Over capacity: the earlier run goes, with its test rows.
    log.append(train: (3..<5).map { LossLog.Row(run: 1, iteration: $0, loss: 2) }, test: [])
    #expect(log.contents.train.map(\.run) == [1, 1, 1, 1, 1] && log.contents.test.isEmpty)
    // The current run alone over capacity: its newest rows stay.
    log.append(train: (5..<12).map { LossLog.Row(run: 1, iteration: $0, loss: 2) }, test: [])
    #expect(log.contents.train.map(\.iteration) == Array(2..<12))
  }

  /// An export reads the log while the trainer appends to it, a batch a snapshot: each read is
  /// whole, and the thread sanitizer finds no race between a reader that let go of the rows and
  /// the trainer's next append (it did, in four runs of four, when readers shared the log's
  /// arrays). The writer is the slower, so most appends come after a read is over.
  @Test func aReadWhileTheTrainerAppendsIsWhole() {
    let log = LossLog(capacity: 100)
    let batches = 600
    let (started, finished) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
    // A thread of its own, as the trainer's: not the cooperative pool, which may have one thread.
    Thread.detachNewThread {
      for b in 0..<batches {
        log.append(train: (0..<8).map { LossLog.Row(run: 0, iteration: b * 8 + $0, loss: 1) }, test: [])
        if b == 0 { started.signal() }
        usleep(2000)
      }
      finished.signal()
    }
    started.wait()
    var reads = 0
    repeat {
      let csv = log.csv
      let iterations = csv.split(separator: "\n").dropFirst().map { Int($0.split(separator: ",")[1])! }
      #expect(
        !iterations.isEmpty && iterations.count <= 100
          && zip(iterations, iterations.dropFirst()).allSatisfy { $0 + 1 == $1 })
      reads += 1
      usleep(300)
    } while finished.wait(timeout: .now()) == .timedOut
    #expect(reads > 10, "the reads overlapped the appends")
    #expect(log.contents.train.map(\.iteration) == Array((batches * 8 - 100)..<(batches * 8)))
  }
}
