@testable import Dashboard
import Testing

@testable import descent

/// A shipped lesson's words in the narrowest terminal a class has.
@Suite("Lesson captions at 60 columns")
struct LessonCaptionWidthTests {
  /// Every stage's heading with its caption, question or answer (live values as wide as a
  /// typical one) fits whole at 60 columns: none is cut to the last line's "…".
  @Test(arguments: ["post", "questions", "playground"])
  func everyCaptionFitsWholeAt60Columns(name: String) throws {
    let lesson = try LessonCatalog.load(name, setup: readSetup, environment: [:])
    for (i, stage) in lesson.stages.enumerated() {
      let heading = LessonCaption.heading(stage: i, of: lesson.stages.count, title: stage.title)
      let texts = [("caption", stage.caption), ("question", stage.question), ("answer", stage.answer)]
      for case let (key, text?) in texts {
        let words = LessonCaption.sample(LessonCaption.prefixed(key, text))
        let presentation = Presentation(title: heading + "\n" + words)
        let lines = presentation.captionLines(width: Layout.minWidth - 2)
        #expect(lines.count <= Presentation.mostCaptionLines, "\(name) stage \(i + 1) \(key)")
        #expect(!(lines.last ?? "").hasSuffix("…"), "\(name) stage \(i + 1) \(key): \(lines)")
        #expect(lines.joined(separator: " ").hasSuffix(String(words.suffix(8))), "\(name) stage \(i + 1) \(key)")
      }
    }
  }

  /// A caption longer than the screen has room for ends in "…" on its last line.
  @Test func aLongerCaptionEndsInAnEllipsis() {
    let presentation = Presentation(title: Array(repeating: "word", count: 100).joined(separator: " "))
    let lines = presentation.captionLines(width: 20)
    #expect(lines.count == Presentation.mostCaptionLines)
    #expect(lines.last == "word word word word…")
  }
}
