import DescentCore
import Foundation

/// Each class's accuracy and the confusion matrix on the training points: a row per class, a
/// column per predicted class, the right ones (the diagonal) in the class's colour, and each
/// row's share right at its end. Where the matrix does not fit, each class's accuracy alone.
struct ClassesView: Widget {
  var snapshot: Snapshot
  var theme: Theme

  func render(into buffer: inout CellBuffer, _ rect: Rect) {
    buffer.fill(rect, " ", theme.textStyle)
    let accuracy = snapshot.accuracy.map { " · " + Self.percent($0) } ?? ""
    buffer.box(rect, title: "classes\(accuracy)", border: theme.borderStyle, titleStyle: theme.titleStyle)
    let inner = rect.inset(1)
    guard inner.width >= 8, inner.height >= 2 else { return }
    guard let confusion = snapshot.confusion else {
      let rmse = snapshot.rmse.map { String(format: "%.4f", $0) } ?? "–"
      let note = "A regression has no classes: its RMSE on the training points is \(rmse)."
      for (i, line) in HelpOverlay.wrap(note, width: inner.width - 2).enumerated() where i < inner.height {
        buffer.put(line, x: inner.x + 1, y: inner.y + i, theme.textStyle)
      }
      return
    }
    let K = confusion.classes
    let largest = max(confusion.counts.joined().max() ?? 0, K - 1)
    let cell = max(4, String(largest).count + 2)
    let fitsMatrix = 6 + K * cell + 7 <= inner.width && K + 1 <= inner.height
    if fitsMatrix {
      drawMatrix(confusion, cell: cell, into: &buffer, inner)
    } else {
      drawList(confusion, into: &buffer, inner)
    }
  }

  private func drawMatrix(_ confusion: ConfusionMatrix, cell: Int, into buffer: inout CellBuffer, _ inner: Rect) {
    let K = confusion.classes
    buffer.put("class", x: inner.x + 1, y: inner.y, theme.dimStyle)
    let x = inner.x + 6
    for k in 0..<K { buffer.put(String(k).leftPadded(cell), x: x + k * cell, y: inner.y, theme.dimStyle) }
    buffer.put("  right", x: x + K * cell, y: inner.y, theme.dimStyle)
    for actual in 0..<K {
      let y = inner.y + 1 + actual
      drawLabel(actual, x: inner.x + 1, y: y, into: &buffer)
      for predicted in 0..<K {
        let count = confusion.counts[actual][predicted]
        let style =
          actual == predicted
          ? Style(fg: theme.classColor(actual), bg: theme.background, bold: true)
          : count == 0 ? theme.dimStyle : theme.textStyle
        buffer.put(String(count).leftPadded(cell), x: x + predicted * cell, y: y, style)
      }
      let share = confusion.accuracy(of: actual).map(Self.percent) ?? "–"
      buffer.put(share.leftPadded(7), x: x + K * cell, y: y, theme.textStyle)
    }
    let note = "a row per class, a column per predicted class (training points)"
    for (i, line) in HelpOverlay.wrap(note, width: inner.width - 2).enumerated() where K + 2 + i < inner.height {
      buffer.put(line, x: inner.x + 1, y: inner.y + K + 2 + i, theme.dimStyle)
    }
  }

  /// Each class's accuracy, in as many columns as the rows need.
  private func drawList(_ confusion: ConfusionMatrix, into buffer: inout CellBuffer, _ inner: Rect) {
    let width = 18
    let rows = max(1, inner.height)
    for k in 0..<confusion.classes {
      let (column, row) = (k / rows, k % rows)
      let x = inner.x + 1 + column * width
      guard x + width <= inner.maxX + 1 else { break }
      drawLabel(k, x: x, y: inner.y + row, into: &buffer)
      let share = confusion.accuracy(of: k).map(Self.percent) ?? "–"
      buffer.put("\(share) of \(confusion.total(k))", x: x + 4, y: inner.y + row, theme.textStyle, limit: width - 5)
    }
  }

  /// `● 0`: the class's glyph in its colour, and its number.
  private func drawLabel(_ k: Int, x: Int, y: Int, into buffer: inout CellBuffer) {
    buffer.set(x, y, theme.glyph(k), Style(fg: theme.classColor(k), bg: theme.background, bold: true))
    buffer.put(String(k), x: x + 2, y: y, theme.textStyle)
  }

  static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
}
