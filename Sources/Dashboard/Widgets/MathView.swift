import DescentCore

/// The math view: the forward and backward equations of the network on screen, each matrix with
/// its shape, and the gradient check's worst relative error per layer when one has run.
struct MathView: Widget {
  var network: Network
  var points: Int
  var training: TrainingConfig
  var check: GradientCheckReport?
  var scroll: Int
  var theme: Theme
  var glyphs = MathGlyphs.unicode

  func render(into buffer: inout CellBuffer, _ rect: Rect) {
    let shape = network.sizes.map(String.init).joined(separator: "-")
    buffer.box(
      rect, title: "the equations · \(shape) \(network.activation.rawValue)", border: theme.borderStyle,
      titleStyle: theme.titleStyle)
    let inner = Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)
    let equations = Equations.lines(network, count: points, training: training, glyphs: glyphs)
    let checkLines = self.checkLines()
    let rows = max(1, inner.height - checkLines.count)
    // A note beside its equation when both fit the width, else on its own line under it.
    let column = inner.width >= 100 ? 46 : 26
    func fits(_ line: Equations.Line) -> Bool { max(column, line.equation.count + 4) + line.note.count <= inner.width }
    var flat: [(String, Style, Int)] = []
    for line in equations {
      if line.heading {
        flat.append((line.equation, theme.titleStyle, 0))
      } else if line.note.isEmpty || fits(line) {
        let text =
          line.note.isEmpty ? line.equation : line.equation.padded(max(column, line.equation.count + 2)) + line.note
        flat.append((text, theme.textStyle, 2))
      } else {
        // An equation (or note) wider than the panel goes on under itself, after its last break
        // that fits.
        for (k, part) in Self.wrap(line.equation, width: inner.width - 2, then: inner.width - 6).enumerated() {
          flat.append((part, theme.textStyle, k == 0 ? 2 : 6))
        }
        for part in line.note.isEmpty ? [] : Self.wrap(line.note, width: inner.width - 6, then: inner.width - 6) {
          flat.append((part, theme.dimStyle, 6))
        }
      }
    }
    let top = min(scroll, max(0, flat.count - rows))
    for (k, line) in flat.dropFirst(top).prefix(rows).enumerated() {
      buffer.put(line.0, x: inner.x + line.2, y: inner.y + k, line.1, limit: inner.width - line.2)
    }
    // How to leave, as the code view says it (Escape closes only the help and the inspector).
    let close = " m close "
    if rect.width > close.count + 30 { buffer.put(close, x: rect.x + 2, y: rect.maxY - 1, theme.dimStyle) }
    if flat.count > rows {
      let more = " ↑↓ \(top + 1)-\(min(flat.count, top + rows)) of \(flat.count) "
      buffer.put(more, x: rect.maxX - more.count - 2, y: rect.maxY - 1, theme.dimStyle)
    }
    for (k, line) in checkLines.enumerated() {
      buffer.put(
        line, x: inner.x, y: inner.maxY - checkLines.count + k, k == 0 ? theme.titleStyle : theme.textStyle,
        limit: inner.width)
    }
  }

  /// `equation` in lines of at most `width` characters, then `later` for the lines after the
  /// first, each broken after a space or a product's dot (cut where there is none); no room (a
  /// panel narrower than the indent) still ends, a character a line.
  static func wrap(_ equation: String, width: Int, then later: Int) -> [String] {
    var lines: [String] = []
    var rest = Substring(equation)
    while !rest.isEmpty && rest.count > (lines.isEmpty ? width : later) {
      let room = max(1, lines.isEmpty ? width : later)
      let head = rest.prefix(room)
      let end = head.lastIndex { $0 == " " || $0 == "·" }.map { head.index(after: $0) } ?? head.endIndex
      lines.append(String(rest[..<end]).trimmingTrailingSpaces)
      rest = rest[end...].drop { $0 == " " }
    }
    return lines.isEmpty || !rest.isEmpty ? lines + [String(rest)] : lines
  }

  /// The gradient check's lines: a heading and one line per layer.
  func checkLines() -> [String] {
    guard let check else { return ["v: check these gradients against finite differences"] }
    let heading = "Gradient check at iteration \(check.iteration.formatted()), \(check.points) points"
    guard let layers = check.layers else { return [heading + ": running…"] }
    return [heading + ": worst relative error"]
      + layers.enumerated().map { l, e in
        "  W\(l + 1) \(DashboardModel.scientific(e.weights))   b\(l + 1) \(DashboardModel.scientific(e.biases))"
          + (max(e.weights, e.biases) < 1e-6 ? "   backpropagation agrees" : "   check this layer")
      }
  }
}

extension String {
  /// The string without the spaces at its end.
  fileprivate var trimmingTrailingSpaces: String {
    var s = self
    while s.last == " " { s.removeLast() }
    return s
  }
}
