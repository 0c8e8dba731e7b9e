import DescentCore

/// One point's way through the network: x, each layer's z and a, the probabilities, its
/// −log p and its share of each gradient (a training point's; a test point is not trained on).
struct PointInspector: Widget {
  /// The forward pass over the point's data set, and the step's trace (training points only).
  var forward: ForwardTrace
  var trace: StepTrace?
  var point: InspectedPoint
  var theme: Theme
  var glyphs = MathGlyphs.unicode

  func render(into buffer: inout CellBuffer, _ rect: Rect) {
    let r = point.index
    let f = forward
    let kind = point.test ? "test" : "train"
    buffer.box(
      rect, title: "point \(r) of \(f.X.rows) · \(kind) · class \(f.y[r])", border: theme.borderStyle,
      titleStyle: theme.titleStyle)
    let inner = Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: rect.height - 2)
    var lines: [(String, String)] = [("x", ArrayText.row(f.X, r, width: inner.width - 8))]
    for l in f.z.indices {
      lines.append(("z\(l + 1)", ArrayText.row(f.z[l], r, width: inner.width - 8)))
      if l < f.a.count { lines.append(("a\(l + 1)", ArrayText.row(f.a[l], r, width: inner.width - 8))) }
    }
    lines.append(("probs", ArrayText.row(f.probs, r, digits: 6, width: inner.width - 8)))
    lines.append(
      ("\(glyphs.minus)log p", ArrayText.number(f.negativeLogProbabilities[r], 6) + "  (p of class \(f.y[r]))"))
    if let trace, !point.test {
      // Its share of each gradient's data term: |its term| / Σ |every point's term| (Frobenius).
      let shares = trace.rowShares(r)
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

  func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
}
