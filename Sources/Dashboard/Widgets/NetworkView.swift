import DescentCore
import Foundation

/// The network drawn as TensorFlow Playground draws it: the layers as columns of units, input
/// features on the left, outputs on the right, and every weight a line between two units,
/// coloured by its sign (class 1's colour positive, class 0's negative) and faded by its size
/// against the largest weight of its layer.
struct NetworkView: Widget {
  var network: Network
  var theme: Theme
  /// Each layer's largest weight, worked out by the trainer (`FigureRequest.weights`: a wide
  /// network has millions); the links wait for it, the units and labels do not.
  var figure: Figure? = nil

  /// The most units a column shows; the rest are counted on the bottom row.
  static func shown(_ units: Int, rows: Int) -> Int { min(units, max(1, rows)) }

  /// The unit glyph.
  static let unit: Character = "●"

  /// The names of the input units: the features, or x1, x2, ... for the data's own columns.
  var inputNames: [String] {
    let superscripts = ["x1sq": "x1²", "x2sq": "x2²", "x1x2": "x1x2", "sinx1": "sin x1", "sinx2": "sin x2"]
    if network.features.isRaw { return (1...network.inputs).map { "x\($0)" } }
    return network.features.list.map { superscripts[$0.rawValue] ?? $0.rawValue }
  }

  func render(into buffer: inout CellBuffer, _ rect: Rect) {
    buffer.fill(rect, " ", theme.textStyle)
    let shape = network.sizes.map(String.init).joined(separator: "-")
    let long = "network \(shape): weights by sign and size"
    let title = long.count + 4 <= rect.width ? long : "network \(shape)"
    buffer.box(rect, title: title, border: theme.borderStyle, titleStyle: theme.titleStyle)
    let labelWidth = min(6, inputNames.map(\.count).max() ?? 2)
    let inner = Rect(
      x: rect.x + 2 + labelWidth + 1, y: rect.y + 1, width: rect.width - 5 - labelWidth, height: rect.height - 2)
    let sizes = network.sizes
    guard inner.width >= 2 * sizes.count - 1, inner.height >= 2 else { return }
    // Column of each layer, and the row of each shown unit (spread over the height).
    let columns = sizes.indices.map { l in inner.x + (inner.width - 1) * l / (sizes.count - 1) }
    let shown = sizes.map { Self.shown($0, rows: inner.height - 1) }
    func row(_ l: Int, _ j: Int) -> Int {
      shown[l] == 1 ? inner.y + (inner.height - 1) / 2 : inner.y + (inner.height - 2) * j / (shown[l] - 1)
    }
    var canvas = BrailleCanvas(columns: inner.width, rows: inner.height)
    let background = theme.background ?? RGB(0, 0, 0)
    let scales = figure.flatMap { $0.request == .weights ? $0.largestWeights : nil } ?? []
    for (l, layer) in network.layers.enumerated() where l < scales.count {
      let largest = scales[l]
      guard largest > 0, largest.isFinite else { continue }
      // Weakest first, so the strong links lie on top; only the shown units' links are looked at.
      let weights = layer.W.storage
      var links: [Int] = []
      for from in 0..<shown[l] {
        for to in 0..<shown[l + 1] where weights[from * layer.W.cols + to] != 0 {
          links.append(from * layer.W.cols + to)
        }
      }
      let order = links.sorted { abs(weights[$0]) < abs(weights[$1]) }
      for i in order {
        let w = layer.W.storage[i]
        let (from, to) = (i / layer.W.cols, i % layer.W.cols)
        let strength = abs(w) / largest
        let color = background.mixed(with: theme.classColor(w > 0 ? 1 : 0), 0.25 + 0.75 * strength)
        line(
          &canvas, from: ((columns[l] - inner.x) * 2 + 1, (row(l, from) - inner.y) * 4 + 2),
          to: ((columns[l + 1] - inner.x) * 2, (row(l + 1, to) - inner.y) * 4 + 2), color)
      }
    }
    canvas.draw(into: &buffer, x: inner.x, y: inner.y, background: theme.background)
    let names = inputNames
    for (l, units) in sizes.enumerated() {
      for j in 0..<shown[l] {
        let y = row(l, j)
        buffer.put(String(Self.unit), x: columns[l], y: y, l == sizes.count - 1 ? outputStyle(j) : theme.textStyle)
        if l == 0 {
          let name = String(names[j].prefix(labelWidth))
          buffer.put(name, x: inner.x - 1 - name.count, y: y, theme.dimStyle)
        }
      }
      if units > shown[l] {
        let more = "+\(units - shown[l])"
        buffer.put(more, x: min(columns[l], rect.maxX - 1 - more.count), y: rect.maxY - 1, theme.dimStyle)
      }
    }
  }

  /// An output unit in its class's colour (regression's single output in the text colour).
  private func outputStyle(_ k: Int) -> Style {
    network.task == .regression ? theme.textStyle : Style(fg: theme.classColor(k), bg: theme.background, bold: true)
  }

  /// Bresenham's line between two dots.
  private func line(_ canvas: inout BrailleCanvas, from a: (Int, Int), to b: (Int, Int), _ color: RGB) {
    var (x, y) = a
    let (dx, dy) = (abs(b.0 - a.0), -abs(b.1 - a.1))
    let (sx, sy) = (a.0 < b.0 ? 1 : -1, a.1 < b.1 ? 1 : -1)
    var error = dx + dy
    while true {
      canvas.set(x, y, color)
      if x == b.0 && y == b.1 { return }
      let e2 = 2 * error
      if e2 >= dy {
        error += dy
        x += sx
      }
      if e2 <= dx {
        error += dx
        y += sy
      }
    }
  }
}
