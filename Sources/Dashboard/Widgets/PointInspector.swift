import DescentCore

/// One point's way through the network: x, each layer's z and a, the probabilities, its
/// −log p and its share of each gradient (a training point's; a test point is not trained on).
struct PointInspector: Widget {
  /// The forward pass that holds the point (the step's for a training point, the point's own for
  /// a test point), and the step's trace (training points only).
  var forward: ForwardTrace
  var trace: StepTrace?
  var point: InspectedPoint
  /// How many points of its kind there are.
  var total: Int
  var theme: Theme
  var glyphs = MathGlyphs.unicode

  func render(into buffer: inout CellBuffer, _ rect: Rect) {
    let f = forward
    let k = f.index(of: point.test ? 0 : point.index) ?? 0
    let kind = point.test ? "test" : "train"
    let label = f.targets.map { "y " + ArrayText.number($0[k], 3) } ?? "class \(f.y[k])"
    buffer.box(
      rect, title: "point \(point.index) of \(total) · \(kind) · \(label)", border: theme.borderStyle,
      titleStyle: theme.titleStyle)
    let inner = Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: rect.height - 2)
    var lines: [(String, String)] = [("x", ArrayText.row(f.X, k, width: inner.width - 8))]
    for l in f.z.indices {
      lines.append(("z\(l + 1)", ArrayText.row(f.z[l], k, width: inner.width - 8)))
      if l < f.a.count { lines.append(("a\(l + 1)", ArrayText.row(f.a[l], k, width: inner.width - 8))) }
    }
    if f.targets != nil {
      lines.append(("yhat", ArrayText.row(f.probs, k, digits: 6, width: inner.width - 8)))
      let loss = ArrayText.number(f.negativeLogProbabilities[k], 6)
      lines.append(("loss", fitted(loss, notes: ["(1/2 (yhat - y)^2)", "(1/2 (yhat-y)^2)"], width: inner.width - 8)))
    } else {
      lines.append(("probs", ArrayText.row(f.probs, k, digits: 6, width: inner.width - 8)))
      let loss = ArrayText.number(f.negativeLogProbabilities[k], 6)
      let notes = ["(p of class \(f.y[k]))", "(p of y=\(f.y[k]))"]
      lines.append(("\(glyphs.minus)log p", fitted(loss, notes: notes, width: inner.width - 8)))
    }
    if let trace, !point.test {
      // Its share of each gradient's data term: |its term| / Σ |every point's term| (Frobenius).
      let shares = trace.rowShares(point.index)
      for (l, share) in shares.enumerated() {
        lines.append(("share", "dW\(l + 1) \(percent(share.weights))  db\(l + 1) \(percent(share.biases))"))
      }
    } else if point.test {
      lines.append(("share", "none (not trained on)"))
    }
    for (k, line) in lines.enumerated() where k < inner.height - 1 {
      buffer.put(line.0, x: inner.x + 1, y: inner.y + k, theme.dimStyle)
      buffer.put(line.1, x: inner.x + 8, y: inner.y + k, theme.textStyle, limit: inner.width - 8)
    }
    buffer.put(
      "i I next/prev · click · esc", x: inner.x + 1, y: inner.maxY - 1, theme.dimStyle, limit: inner.width - 1)
  }

  /// `value` and the first of its notes that fits in `width` (none where none does), so a narrow
  /// panel shortens the note instead of cutting it.
  func fitted(_ value: String, notes: [String], width: Int) -> String {
    let note = notes.first { value.count + 2 + $0.count <= width }
    return note.map { value + "  " + $0 } ?? value
  }

  func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
}
