import DescentCore
import Foundation
import Testing

@testable import Dashboard

@Suite("Lessons and recordings")
struct LessonTests {
  @Test func theBinaryCarriesExactlyTheLessonsFolder() throws {
    let folder = ThemeTests.root.appendingPathComponent("lessons")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".toml") }
    #expect(Set(files.map { String($0.dropLast(5)) }) == Set(builtinLessonFiles.map(\.name)))
    for (name, text) in builtinLessonFiles {
      let onDisk = try String(contentsOf: folder.appendingPathComponent(name + ".toml"), encoding: .utf8)
      #expect(onDisk == text, "lessons/\(name).toml changed: run scripts/embed.py")
    }
  }

  @Test func aCaptionFillsInLiveValuesAndKnobs() {
    var settings = Settings()
    settings.setup.training.epsilon = 0.03
    #expect(LessonCaption.render("at {epsilon}: {loss}", snapshot: nil, settings: settings) == "at 0.03: –")
    #expect(LessonCaption.placeholders(in: "a {loss} b {nope} {") == ["loss", "nope"])
    #expect(LessonCaption.heading(stage: 2, of: 9, title: "Hidden size") == "3/9 Hidden size  ← →")
  }

  @Test func aStageChartStartsAtItsRun() {
    var history = LossHistory()
    for i in 0..<10 { history.train.append(i, 1.0 / Double(i + 1)) }
    history.mark(5, "stage 2")
    for i in 10..<20 { history.train.append(i, 0.5) }
    let window = history.since(5)
    #expect(window.train.buckets.first?.first == 0 && window.end == 14)
    #expect(window.markers == [Marker(iteration: 0, label: "stage 2")])
    #expect(window.train.range?.high == 0.5, "the earlier stage's higher losses (up to 1) are not in the window")
  }

  @Test func aRecordingReadsBackAsWritten() throws {
    var recording = Recording(setup: ["--hidden", "4"], lesson: "post", stage: 2, width: 80, height: 24)
    recording.events = [
      RecordedEvent(iteration: 0, key: .char(" "), loss: 0.5839403),
      RecordedEvent(iteration: 120, key: .char(">")),
      RecordedEvent(iteration: 120, key: .mouse(x: 40, y: 12, secondary: true, dragging: false)),
      RecordedEvent(iteration: 3000, key: .char("n"), seed: 77, loss: 0.07),
      RecordedEvent(iteration: 3001, key: .pageDown),
      RecordedEvent(iteration: 3001, key: .char("\"")),
    ]
    let read = try Recording.parse(recording.text, file: "r.toml")
    #expect(read == recording)
  }

  @Test func aBrokenRecordingSaysWhereAndWhat() {
    let text = """
      descent = "recording 1"
      setup = "--hidden 4"
      size = "80x24"
      events = [
        "10 space",
        "5 >",
        "20 warp",
        "30 n seed=x",
      ]
      """
    do {
      _ = try Recording.parse(text, file: "r.toml")
      Issue.record("a broken recording was read")
    } catch {
      #expect(error.problems.map(\.line) == [6, 7, 8])
      #expect(error.problems[0].message.contains("before the one above it"))
      #expect(error.problems[1].message.contains("\"warp\" is not a key"))
      #expect(error.problems[2].message.contains("seed= takes a whole number"))
    }
  }
}
