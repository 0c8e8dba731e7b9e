import DescentCore
import Testing

@testable import Dashboard

/// The run loop in-process, on a test backend: the main flows a user goes through.
@Suite("The run loop, in-process", .serialized)
struct RunLoopTests {
  static func run(
    _ script: [TestBackend.Step], width: Int = 80, height: Int = 24,
    configure: (inout DashboardOptions) -> Void = { _ in }
  ) throws -> (TestBackend, RunLoop.Outcome, Int32) {
    var options = DashboardOptions(settings: Settings())
    configure(&options)
    let (train, test) = try options.settings.setup.loadData()
    let backend = TestBackend(width: width, height: height, script: script)
    let loop = RunLoop(options: options, backend: backend, train: train, test: test)
    let (status, outcome) = try loop.loop()
    return (backend, outcome, status)
  }

  @Test func startsTrainingAndQuitsOnQ() throws {
    let (backend, outcome, status) = try Self.run([.on("▶ running", press: .char("q"))])
    #expect(backend.stuck == nil, "\(backend.stuck ?? "")")
    #expect(status == 0 && outcome.model.quit)
    let frame = try #require(backend.lastFrame)
    #expect(frame.width == 80 && frame.height == 24)
    #expect(frame.text.contains("moons · 200 pts · noise 0.20") && frame.text.contains("? help"))
  }

  @Test func spacePausesAndAStepMovesOneIteration() throws {
    let (backend, outcome, _) = try Self.run(
      // One update: the post's iteration 0.
      [.on("❚❚ paused", press: .char("s")), .on("it 0 ", press: .char("q"))],
      configure: { $0.paused = true })
    #expect(backend.stuck == nil, "\(backend.stuck ?? "")")
    #expect(outcome.model.snapshot?.iteration == 1 && outcome.model.snapshot?.state == .paused)
  }

  /// Keys read in one pass of the loop (a paste, tmux send-keys) each toggle from what the keys
  /// before them asked: space, three steps and space pause, step and go on running (each space read
  /// the last snapshot's "running" and paused).
  @Test func aBurstOfKeysTogglesFromWhatTheKeysBeforeAsked() throws {
    let (backend, outcome, _) = try Self.run([
      .on("▶ running", press: .char(" ")), .press(.char("s")), .press(.char("s")), .press(.char("s")),
      .press(.char(" ")),
      Self.when({ $0.text.contains("▶ running") && ReplayRunLoopTests.iteration($0) > 2000 }, press: .char("q")),
    ])
    #expect(backend.stuck == nil, "\(backend.stuck ?? "")")
    #expect(outcome.model.snapshot?.state == .running)
  }

  /// `r` starts the run again from the same seed: iteration 0, the starting weights, marked.
  @Test func rResetsTheRun() throws {
    let (backend, outcome, _) = try Self.run(
      [
        .on("❚❚ paused", press: .char("s")), .on("it 0 ", press: .char("s")), .on("it 1 ", press: .char("r")),
        Self.when({ $0.text.contains("it – ") }, press: .char("q")),
      ],
      configure: { $0.paused = true })
    #expect(backend.stuck == nil, "\(backend.stuck ?? "")")
    let snapshot = try #require(outcome.model.snapshot)
    #expect(snapshot.iteration == 0 && snapshot.run == 1)
    #expect(snapshot.boundaryNetwork == (try RunSetup.post.makeTrainer().network))
    #expect(snapshot.history.markers.last?.label == "reset")
  }

  @Test func aKnobChangeRestartsTheRunAndIsMarked() throws {
    let (backend, outcome, _) = try Self.run([
      .on("▶ running", press: .char(">")),
      Self.when({ $0.text.contains("2-4-2 tanh") }, press: .char("q")),
    ])
    #expect(backend.stuck == nil, "\(backend.stuck ?? "")")
    #expect(outcome.model.settings.setup.hidden == 4)
    let snapshot = try #require(outcome.model.snapshot)
    #expect(snapshot.boundaryNetwork.sizes == [2, 4, 2] && snapshot.history.markers.last?.label == "hidden 4")
  }

  @Test func aResizeRedrawsAtTheNewSize() throws {
    let (backend, _, _) = try Self.run([
      .on("▶ running", resizeTo: 120, 40),
      Self.when({ $0.width == 120 && $0.height == 40 }, press: .char("q")),
    ])
    #expect(backend.stuck == nil, "\(backend.stuck ?? "")")
    let frame = try #require(backend.lastFrame)
    #expect(frame.width == 120 && frame.height == 40 && frame.text.contains("knobs 1/4"))
  }

  @Test func theHelpShowsTheCommandLineAndEscapeClosesIt() throws {
    let (backend, _, _) = try Self.run([
      .on("▶ running", press: .char(">")),
      .on("2-4-2", press: .char("?")),
      .on("descent --hidden 4", press: .escape),
      Self.when({ !$0.text.contains("descent --hidden 4") }, press: .char("q")),
    ])
    #expect(backend.stuck == nil, "\(backend.stuck ?? "")")
  }

  @Test func theSweepViewStartsOnePanelPerSizeAndGoesBack() throws {
    let (backend, outcome, _) = try Self.run(
      [
        .on("▶ running", press: .char("g")),
        Self.when({ frame in ["1 unit", "3 units"].allSatisfy { frame.text.contains($0) } }, press: .char("g")),
        .on("boundary @", press: .char("q")),
      ], width: 100, height: 30, configure: { $0.sweepSizes = [1, 3] })
    #expect(backend.stuck == nil, "\(backend.stuck ?? "")")
    #expect(outcome.model.view == .boundary && outcome.model.sweep.isEmpty)
  }

  static func when(_ condition: @escaping (CellBuffer) -> Bool, press key: Key) -> TestBackend.Step {
    TestBackend.Step(when: condition, key: key)
  }
}
