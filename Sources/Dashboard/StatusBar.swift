import DescentCore
import Foundation

/// The bottom line: iteration, loss, accuracy, speed, state, and the key hints.
struct StatusBar {
  var snapshot: Snapshot?
  var theme: Theme

  func render(into buffer: inout CellBuffer, _ rect: Rect) {
    let bar = Style(fg: theme.text, bg: theme.uncertain)
    buffer.fill(rect, " ", bar)
    guard let s = snapshot else {
      buffer.put(" starting…", x: rect.x, y: rect.y, bar)
      return
    }
    var x = rect.x + 1
    func field(_ text: String, _ style: Style = bar) {
      guard x < rect.maxX else { return }
      x = buffer.put(text, x: x, y: rect.y, style, limit: rect.maxX - x) + 2
    }
    field("it \(s.iteration.formatted(.number))")
    field("loss \(s.loss.map { String(format: "%.4f", $0) } ?? "–")")
    field("acc \(s.accuracy.map { String(format: "%.1f%%", $0 * 100) } ?? "–")")
    if let testAccuracy = s.testAccuracy { field("test \(String(format: "%.1f%%", testAccuracy * 100))") }
    if s.state == .running { field("\(compact(s.iterationsPerSecond)) it/s") }
    let (label, color) = Self.describe(s.state, theme)
    field(label, Style(fg: color, bg: theme.uncertain, bold: true))
    let hints = "? help  q quit"
    if rect.maxX - x >= hints.count + 1 {
      buffer.put(hints, x: rect.maxX - hints.count - 1, y: rect.y, Style(fg: theme.dimText, bg: theme.uncertain))
    }
  }

  static func describe(_ state: TrainingState, _ theme: Theme) -> (String, RGB) {
    switch state {
    case .running: return ("▶ running", theme.running)
    case .paused: return ("❚❚ paused", theme.paused)
    case .done: return ("■ done", theme.done)
    case .diverged(let at): return ("✖ diverged at it \(at): r resets", theme.diverged)
    }
  }
}
