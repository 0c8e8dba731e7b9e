import DescentCore
import Foundation
import Testing

@testable import Dashboard

/// Recording and replaying through the run loop in-process, on a test backend.
@Suite("Record and replay, in-process", .serialized)
struct ReplayRunLoopTests {
  /// The iteration the status bar shows.
  static func iteration(_ frame: CellBuffer) -> Int {
    let status = frame.text.split(separator: "\n").last.map(String.init) ?? ""
    let words = status.split(separator: " ")
    guard let at = words.firstIndex(of: "it"), at + 1 < words.count else { return -1 }
    return Int(words[at + 1].replacingOccurrences(of: ",", with: "")) ?? -1
  }

  /// The iteration of the boundary drawn (the plot's footer, `boundary @ it 1,200`).
  static func drawn(_ frame: CellBuffer) -> Int {
    guard let match = frame.text.firstMatch(of: /boundary @ it ([0-9,]+)/) else { return -1 }
    return Int(match.1.replacingOccurrences(of: ",", with: "")) ?? -1
  }

  static func after(_ iteration: Int, press key: Key) -> TestBackend.Step {
    RunLoopTests.when({ Self.iteration($0) >= iteration && $0.text.contains("▶ running") }, press: key)
  }

  @Test func aReplayMeetsTheRecordedLossAtEveryEvent() throws {
    let path = NSTemporaryDirectory() + "descent-recording-\(UUID().uuidString.prefix(8)).toml"
    defer { try? FileManager.default.removeItem(atPath: path) }
    var settings = Settings()
    settings.speed = 3000
    let (recorder, _, _) = try RunLoopTests.run(
      [
        Self.after(300, press: .char(">")),  // hidden 4: a new run
        RunLoopTests.when({ $0.text.contains("2-4-2") && Self.iteration($0) >= 400 }, press: .char("j")),
        Self.after(500, press: .char(">")),  // epsilon up a step, live
        Self.after(900, press: .char(" ")),
        RunLoopTests.when({ $0.text.contains("paused") }, press: .char("s")),
        RunLoopTests.when({ $0.text.contains("paused") }, press: .char("n")),  // new weights: a random seed
        RunLoopTests.when({ $0.text.contains("paused") }, press: .char(" ")),
        Self.after(300, press: .mouse(x: 20, y: 10, secondary: false, dragging: false)),
        Self.after(600, press: .char("d")),  // new data: another random seed
        Self.after(400, press: .char("q")),
      ],
      configure: {
        $0.settings = settings
        $0.record = path
      })
    #expect(recorder.stuck == nil, "\(recorder.stuck ?? "")")
    let recording = try Recording.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
    #expect(recording.events.count == 9 && recording.events.filter { $0.seed != nil }.count == 2)
    #expect(recording.setup == ["--speed", "3000"])

    // Played back faster, with the events' iterations and losses checked.
    var replaying = settings
    replaying.speed = .infinity
    let (backend, outcome, _) = try RunLoopTests.run(
      [RunLoopTests.when({ $0.text.contains("replay done") }, press: .char("q"))],
      configure: {
        $0.settings = replaying
        $0.replay = recording
      })
    #expect(backend.stuck == nil, "\(backend.stuck ?? "")")
    #expect(outcome.model.message == "replay done: 9 events, every loss as recorded; the keys are yours again")
    #expect(outcome.model.settings.setup.seed == recording.events.last!.seed)
  }

  @Test func aReplayHoldsTheSweepsPanelsWhereTheyWereRecorded() throws {
    let path = NSTemporaryDirectory() + "descent-recording-\(UUID().uuidString.prefix(8)).toml"
    defer { try? FileManager.default.removeItem(atPath: path) }
    var settings = Settings()
    settings.speed = 2000
    let inSweep = { (frame: CellBuffer) in frame.text.contains("hidden-size sweep") }
    let (recorder, _, _) = try RunLoopTests.run(
      [
        Self.after(200, press: .char("g")),  // the sweep: seven panels, each on its own thread
        RunLoopTests.when({ inSweep($0) && Self.iteration($0) >= 300 }, press: .char("j")),
        RunLoopTests.when({ inSweep($0) && Self.iteration($0) >= 400 }, press: .char(">")),  // epsilon, live
        RunLoopTests.when({ inSweep($0) && Self.iteration($0) >= 700 }, press: .char(" ")),
        RunLoopTests.when({ inSweep($0) && $0.text.contains("paused") }, press: .char("s")),
        RunLoopTests.when({ inSweep($0) && $0.text.contains("paused") }, press: .char(" ")),
        RunLoopTests.when({ inSweep($0) && Self.iteration($0) >= 1000 }, press: .char("g")),
        Self.after(300, press: .char("q")),
      ],
      configure: {
        $0.settings = settings
        $0.record = path
      })
    #expect(recorder.stuck == nil, "\(recorder.stuck ?? "")")
    let recording = try Recording.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
    // The keys pressed in the sweep view hold every panel, and say where each was.
    let marked = recording.events.filter { !$0.panels.isEmpty }
    #expect(marked.count == 6 && marked.allSatisfy { $0.panels.count == RunSetup.postSweepSizes.count })
    // Each panel keeps its own pace (the widest is the slowest, more so under the thread sanitizer):
    // the first was past 1,000 when g was pressed, every one had started and had a loss.
    #expect(marked.last!.panels.first!.iteration >= 1000)
    #expect(marked.last!.panels.allSatisfy { $0.iteration > 0 && $0.loss != nil })

    let replay = { (recording: Recording, speed: Double, viewer: [TestBackend.Step]) throws -> String? in
      var replaying = settings
      replaying.speed = speed
      let (backend, outcome, _) = try RunLoopTests.run(
        viewer + [RunLoopTests.when({ $0.text.contains("replay done") }, press: .char("q"))],
        configure: {
          $0.settings = replaying
          $0.replay = recording
        })
      #expect(backend.stuck == nil, "\(backend.stuck ?? "")")
      return outcome.model.message
    }
    let message = try replay(recording, .infinity, [])
    #expect(
      message == "replay done: 7 events, every loss as recorded; the keys are yours again",
      "\(message ?? "")\n\(recording.text)")
    // The viewer pauses the panels, steps them, slows the pace and goes on: the numbers stay.
    let paused = { (frame: CellBuffer) in inSweep(frame) && frame.text.contains("paused") }
    let viewed = try replay(
      recording, 600,
      [
        // Paused by the viewer as soon as the panels run: the recording's own pause is some 700
        // panel iterations on (over a second at this pace), so the viewer's lands before it even
        // when this loop is starved (the thread sanitizer with every suite running), and the step
        // below, which must come before it, has its frame.
        RunLoopTests.when({ inSweep($0) && Self.iteration($0) >= 1 }, press: .char(" ")),
        RunLoopTests.when({ paused($0) && Self.iteration($0) < marked[2].panels[0].iteration - 1 }, press: .char("s")),
        RunLoopTests.when(paused, press: .char("s")),
        RunLoopTests.when(paused, press: .char("-")),
        RunLoopTests.when(paused, press: .char(" ")),
      ])
    #expect(viewed == "replay done: 7 events, every loss as recorded; the keys are yours again")
    // One panel's loss off in its last digit is caught.
    var altered = recording
    let last = altered.events.lastIndex { !$0.panels.isEmpty }!
    altered.events[last].panels[3].loss! *= 1 + 1e-12
    #expect(
      try replay(altered, .infinity, [])
        == "replay done: 7 events, 1 not as recorded (first at iteration \(altered.events[last].iteration))")
  }

  @Test func aLessonsCardsAreRecordedAndReplayedExactly() throws {
    let path = NSTemporaryDirectory() + "descent-recording-\(UUID().uuidString.prefix(8)).toml"
    defer { try? FileManager.default.removeItem(atPath: path) }
    var asked = LessonStage(title: "One unit", caption: "three runs", settings: Settings())
    (asked.card, asked.view, asked.question, asked.paused) = (Card.named("one-unit"), .sweep, "Will it bend?", true)
    var minibatch = LessonStage(title: "Minibatches", caption: "three more", settings: Settings())
    (minibatch.card, minibatch.view) = (Card.named("minibatch"), .sweep)
    let lesson = Lesson(name: "cards", title: "Cards", stages: [asked, minibatch])
    let onCard = { (title: String, from: Int) in
      { (frame: CellBuffer) in frame.text.contains(title) && Self.iteration(frame) >= from }
    }
    let (recorder, _, _) = try RunLoopTests.run(
      [
        RunLoopTests.when({ $0.text.contains("space runs them") }, press: .char(" ")),
        RunLoopTests.when(onCard("1-1-1 units", 300), press: .char(" ")),
        RunLoopTests.when({ $0.text.contains("1-1-1 units") && $0.text.contains("paused") }, press: .char("s")),
        RunLoopTests.when({ $0.text.contains("1-1-1 units") && $0.text.contains("paused") }, press: .char(" ")),
        RunLoopTests.when(onCard("1-1-1 units", 600), press: .right),
        RunLoopTests.when(onCard("batches of 10", 300), press: .char("q")),
      ],
      configure: {
        $0.lesson = lesson
        $0.lessonName = "cards"
        $0.record = path
      })
    #expect(recorder.stuck == nil, "\(recorder.stuck ?? "")")
    let recording = try Recording.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
    #expect(recording.lesson == "cards" && recording.events.count == 5)
    #expect(recording.events.allSatisfy { $0.panels.count == 3 })
    #expect(recording.events.first?.panels.allSatisfy { $0.iteration == 0 } == true, "the panels waited for space")

    let model = try Self.replay(recording, of: lesson)
    #expect(
      model.message == "replay done: 5 events, every loss as recorded; the keys are yours again",
      "\(model.message ?? "")\n\(recording.text)")
    #expect(model.stage == 1 && model.card == Card.named("minibatch"))
  }

  @Test func rInALessonRecordsFromTheStagesStart() throws {
    let folder = NSTemporaryDirectory() + "descent-r-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/r.toml"
    var moons = LessonStage(title: "Moons", caption: "the post", settings: Settings())
    moons.settings.speed = 3000
    var minibatch = LessonStage(title: "Minibatches", caption: "three runs", settings: Settings())
    (minibatch.card, minibatch.view) = (Card.named("minibatch"), .sweep)
    let lesson = Lesson(name: "r", title: "R", stages: [moons, minibatch])
    let (recorder, _, _) = try RunLoopTests.run(
      [
        Self.after(100, press: .char("R")),  // stops the recording --record started
        // Then R records again, the stage starting again, counted from its start.
        RunLoopTests.when({ $0.text.contains("recorded 0 events") }, press: .char("R")),
        // The status line shows messages: the plot's footer says where the run is.
        RunLoopTests.when(
          { $0.text.contains("recording to") && (200..<1000).contains(Self.drawn($0)) }, press: .char(">")),
        RunLoopTests.when({ $0.text.contains("2-4-2") && Self.drawn($0) >= 300 }, press: .right),
        RunLoopTests.when({ $0.text.contains("batches of 10") && $0.text.contains("gradient") }, press: .char(" ")),
        RunLoopTests.when({ $0.text.contains("paused") }, press: .char("R")),
        RunLoopTests.when({ $0.text.contains("recorded 3 events") }, press: .char("q")),
      ],
      configure: {
        $0.lesson = lesson
        $0.lessonName = "r"
        $0.record = path
      })
    #expect(recorder.stuck == nil, "\(recorder.stuck ?? "")")
    let recording = try Recording.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
    #expect(recording.lesson == "r" && recording.stage == 0 && recording.events.count == 3)
    #expect(recording.events.last?.panels.count == 3)

    let model = try Self.replay(recording, of: lesson)
    #expect(
      model.message == "replay done: 3 events, every loss as recorded; the keys are yours again",
      "\(model.message ?? "")\n\(recording.text)")
  }

  /// Plays a recording made in `lesson` back to its end: the model there.
  static func replay(_ recording: Recording, of lesson: Lesson) throws -> DashboardModel {
    let (backend, outcome, _) = try RunLoopTests.run(
      [RunLoopTests.when({ $0.text.contains("replay done") }, press: .char("q"))],
      configure: {
        $0.lesson = lesson
        $0.lessonName = lesson.name
        $0.replay = recording
      })
    #expect(backend.stuck == nil, "\(backend.stuck ?? "")")
    return outcome.model
  }
}
