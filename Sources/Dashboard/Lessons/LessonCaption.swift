import DescentCore
import Foundation

/// A stage's words on screen: its heading, and captions whose `{name}`s are live values.
public enum LessonCaption {
  /// The live values a caption can name: these, and every knob by its name (`{epsilon}`).
  static let values = ["loss", "accuracy", "iteration", "test_loss", "test_accuracy", "line_accuracy"]
  public static var names: [String] { values + Knob.all.map(\.label) }

  /// The first line: the stage's number and title, and the keys that move on.
  public static func heading(stage: Int, of count: Int, title: String) -> String {
    "\(stage + 1)/\(count) \(title)  ← →"
  }

  /// The question and the answer say what they are.
  static func prefixed(_ key: String, _ text: String) -> String {
    switch key {
    case "question": return "Question: \(text)  (space runs)"
    case "answer": return "Answer: \(text)"
    default: return text
    }
  }

  /// The `{name}`s in a text.
  static func placeholders(in text: String) -> [String] {
    var names: [String] = []
    var rest = Substring(text)
    while let open = rest.firstIndex(of: "{") {
      rest = rest[rest.index(after: open)...]
      guard let close = rest.firstIndex(of: "}") else { break }
      names.append(String(rest[..<close]))
      rest = rest[rest.index(after: close)...]
    }
    return names
  }

  /// The text with every `{name}` as wide as a typical value, to check that it fits.
  static func sample(_ text: String) -> String {
    fill(text) { _ in "0.068947" }
  }

  /// The text with every `{name}` replaced by its value now ("–" while there is none).
  public static func render(_ text: String, snapshot: Snapshot?, settings: Settings) -> String {
    fill(text) { name in
      if let knob = Knob.named(name) { return knob.text(settings) }
      func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "–" }
      switch name {
      case "loss": return snapshot?.loss.map { String(format: "%.6f", $0) } ?? "–"
      case "accuracy": return percent(snapshot?.accuracy)
      case "iteration": return snapshot.map { $0.iteration.formatted(.number) } ?? "–"
      case "test_loss": return snapshot?.testLoss.map { String(format: "%.6f", $0) } ?? "–"
      case "test_accuracy": return percent(snapshot?.testAccuracy)
      case "line_accuracy": return percent(snapshot?.baselineAccuracy)
      default: return "{\(name)}"
      }
    }
  }

  private static func fill(_ text: String, _ value: (String) -> String) -> String {
    var out = ""
    var rest = Substring(text)
    while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
      out += rest[..<open]
      out += value(String(rest[rest.index(after: open)..<close]))
      rest = rest[rest.index(after: close)...]
    }
    return out + rest
  }
}
