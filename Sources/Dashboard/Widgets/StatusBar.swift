import DescentCore
import Foundation

/// The bottom line: iteration, loss, accuracy, speed, state, and the key hints.
struct StatusBar: Widget {
  var snapshot: Snapshot?
  var settings: Settings
  var theme: Theme
  /// Presentation mode: the knobs and the loss in plain words.
  var inWords = false
  /// Shown instead of the key hints.
  var message: Message?
  /// The hidden-size sweep, the optimizer race or a reader's question is on show: its iteration
  /// and state, not one network's loss.
  var panels: Panels?
  /// The logistic-regression baseline is on show: its accuracy beside the network's.
  var baseline = false

  /// Panels on show: their name, the key that leaves them, and whether they have settings of
  /// their own (a question's), so the dashboard's ε and λ are not theirs.
  struct Panels: Equatable {
    var name: String
    var leave: String
    var ownSettings = false
  }

  /// `12 s left`, `3 min left`: the iterations still to go to `--passes` at the measured rate,
  /// while running.
  static func timeLeft(_ s: Snapshot) -> String? {
    let remaining = s.settings.passes - s.iteration
    guard s.state == .running, s.iterationsPerSecond > 0, remaining > 0 else { return nil }
    let seconds = Double(remaining) / s.iterationsPerSecond
    switch seconds {
    case ..<1: return "<1 s left"
    case ..<120: return "\(Int(seconds.rounded())) s left"
    case ..<7200: return "\(Int((seconds / 60).rounded())) min left"
    default: return "\(Int((seconds / 3600).rounded())) h left"
    }
  }

  func render(into buffer: inout CellBuffer, _ rect: Rect) {
    let bar = Style(fg: theme.text, bg: theme.uncertain, reverse: theme.monochrome)
    buffer.fill(rect, " ", bar)
    if let message {
      // Too long for the window (an export's file list at 80 columns): cut with an ellipsis, so
      // a cut word does not read as a file name.
      let room = rect.width
      let text = " " + message.text
      var cut = String(text.prefix(max(0, room - 1)))
      while cut.hasSuffix(" ") { cut.removeLast() }
      let shown = text.count <= room ? text : cut + "…"
      buffer.put(shown, x: rect.x, y: rect.y, message.style(theme), limit: room)
      return
    }
    guard let s = snapshot else {
      buffer.put(" starting…", x: rect.x, y: rect.y, bar)
      return
    }
    var x = rect.x + 1
    func field(_ text: String, _ style: Style = bar) {
      guard x < rect.maxX else { return }
      x = buffer.put(text, x: x, y: rect.y, style, limit: rect.maxX - x) + 2
    }
    let loss = LossText.format(s.loss, digits: 4)
    let accuracy = s.accuracy.map { String(format: "%.1f%%", $0 * 100) } ?? "–"
    // Regression has no accuracy: its RMSE stands in the same place.
    let regression = s.boundaryNetwork.task == .regression
    let score = regression ? s.rmse.map { String(format: "%.4f", $0) } ?? "–" : accuracy
    let baselineAccuracy = s.baselineAccuracy.map { String(format: "%.1f%%", $0 * 100) } ?? "…"
    if let panels {
      field("\(panels.name) · it \(PostNumbering.label(after: s.iteration))")
      if !panels.ownSettings {
        field("ε \(formatRate(settings.setup.training.epsilon)) λ \(formatRate(settings.setup.training.lambda))")
      }
      if baseline { field("logistic \(baselineAccuracy)") }
      field(panels.leave)
    } else if inWords {
      field("iteration \(PostNumbering.label(after: s.iteration))")
      field("loss \(loss)")
      field(regression ? "RMSE \(score)" : "accuracy \(accuracy)")
      if rect.height > 1 {
        // The baseline goes on the second line: the first must keep room for the state.
        var second = rect.x + 1
        for text in [
          settings.setup.hidden == 1 ? "1 hidden unit" : "\(settings.setup.hidden) hidden units",
          "learning rate \(formatRate(settings.setup.training.epsilon))",
          "regularization \(formatRate(settings.setup.training.lambda))",
        ] + (baseline ? ["logistic \(baselineAccuracy)"] : []) where second < rect.maxX {
          second = buffer.put(text, x: second, y: rect.y + 1, bar, limit: rect.maxX - second) + 2
        }
      }
    } else {
      field("it \(PostNumbering.label(after: s.iteration))")
      field("loss \(loss)")
      field(regression ? "RMSE \(score)" : "acc \(accuracy)")
      if let testAccuracy = s.testAccuracy { field("test \(String(format: "%.1f%%", testAccuracy * 100))") }
      if let testRMSE = s.testRMSE { field("test \(String(format: "%.4f", testRMSE))") }
      if baseline { field("logistic \(baselineAccuracy)") }
      if s.state == .running { field("\(compact(s.iterationsPerSecond)) it/s") }
    }
    let (label, color) = Self.describe(s.state, theme)
    field(
      inWords ? String(label.drop { $0 != " " }.dropFirst()) : label,
      Style(fg: color, bg: theme.uncertain, bold: true, reverse: theme.monochrome))
    let hints = "? help  q quit"
    // The time left to --passes at the current rate, where the line has room for it and the hints.
    if panels == nil, !inWords, let left = Self.timeLeft(s), rect.maxX - x >= hints.count + 1 + left.count + 2 {
      field(left, Style(fg: theme.dimText, bg: theme.uncertain, reverse: theme.monochrome))
    }
    if !inWords && rect.maxX - x >= hints.count + 1 {
      buffer.put(
        hints, x: rect.maxX - hints.count - 1, y: rect.y,
        Style(fg: theme.dimText, bg: theme.uncertain, reverse: theme.monochrome))
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
