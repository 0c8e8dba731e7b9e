import DescentCore
import Foundation

/// The decision boundary and the data: regions in half blocks shaded by confidence, points on
/// top in their class colour, axis ticks at the edges.
struct BoundaryPlot: Widget {
  var data: Dataset
  var test: Dataset?
  var layer: BoundaryLayer?
  var bounds: PlotBounds
  var title: String
  var footer: String
  var theme: Theme
  /// Presentation mode: each point a solid cell of its class colour with the glyph cut out.
  var largePoints = false
  /// The logistic-regression baseline, drawn as a dotted line where its prediction changes.
  var baseline: LogisticRegression?
  /// Tick labels at the edges; small multiples go without.
  var axes = true
  /// A regression run's colour ramp: the points are coloured by their target on it.
  var ramp: RegressionRamp?
  /// The points one a cell, as the trainer worked them out for this plot's area; every point is
  /// drawn without them (a finished run's plot, or until they come).
  var cells: PointCells? = nil

  /// Columns left of the plot for y labels (the labels, then the axis), and rows below it for x
  /// labels.
  static let gutter = 5
  static let axisRows = 1

  /// The y labels' gutter for `bounds`: 4 columns of label, widened to 5 or 6 only when a value
  /// fits no shorter form (data near ±1e308 reads `-2e308`, not `####`).
  static func gutter(for bounds: PlotBounds?) -> Int {
    guard let bounds else { return Self.gutter }
    let widest = [0.0, 0.5, 1.0].map { fraction in
      let value = bounds.y(fromTop: fraction)
      return (Self.gutter - 1...Self.gutter + 1).first { !Tick.label(value, width: $0).hasPrefix("#") }
        ?? Self.gutter - 1
    }.max()!
    return widest + 1
  }

  /// The area the regions fill, inside the border and the axis labels (for `bounds`' y labels).
  static func plotArea(in rect: Rect, axes: Bool = true, bounds: PlotBounds? = nil) -> Rect {
    let inner = rect.inset(1)
    guard axes else { return inner }
    let labels = gutter(for: bounds)
    return Rect(x: inner.x + labels, y: inner.y, width: inner.width - labels, height: inner.height - axisRows)
  }

  /// The Playground's "discretize": every region at full strength, no shading by confidence.
  var discretize = false

  func regionColor(_ k: Int, _ confidence: Double) -> RGB {
    theme.regionColor(k, confidence: discretize ? 1 : confidence)
  }

  func render(into buffer: inout CellBuffer, _ rect: Rect) {
    buffer.fill(rect, " ", theme.textStyle)
    buffer.box(rect, title: title, border: theme.borderStyle, titleStyle: theme.titleStyle)
    if !footer.isEmpty && rect.width > footer.count + 4 {
      buffer.put(" \(footer) ", x: rect.maxX - footer.count - 4, y: rect.maxY - 1, theme.dimStyle)
    }
    let area = Self.plotArea(in: rect, axes: axes, bounds: bounds)
    guard area.width >= 2, area.height >= 2 else { return }

    if let layer, !layer.isEmpty, layer.columns == area.width, layer.samplesHigh == area.height * 2, theme.monochrome {
      for row in 0..<area.height {
        for col in 0..<area.width {
          let top = layer.sample(column: col, row: 2 * row)
          buffer.set(
            area.x + col, area.y + row, Self.shade(top.class, discretize ? 1 : top.confidence), theme.textStyle)
        }
      }
    } else if let layer, !layer.isEmpty, layer.columns == area.width, layer.samplesHigh == area.height * 2 {
      for row in 0..<area.height {
        for col in 0..<area.width {
          let top = layer.sample(column: col, row: 2 * row)
          let bottom = layer.sample(column: col, row: 2 * row + 1)
          let style = Style(
            fg: regionColor(top.class, top.confidence), bg: regionColor(bottom.class, bottom.confidence))
          buffer.set(area.x + col, area.y + row, "▀", style)
        }
      }
    }
    if axes { drawAxes(into: &buffer, area) }
    if let baseline { drawBaseline(baseline, into: &buffer, area) }
    if let cells, cells.columns == area.width, cells.rows == area.height {
      if let test { drawPoints(test, hollow: true, cells.test.lazy.map { ($0.index, $0) }, into: &buffer, area) }
      drawPoints(data, hollow: false, cells.train.lazy.map { ($0.index, $0) }, into: &buffer, area)
    } else {
      if let test { drawPoints(test, hollow: true, (0..<test.count).lazy.map { ($0, nil) }, into: &buffer, area) }
      drawPoints(data, hollow: false, (0..<data.count).lazy.map { ($0, nil) }, into: &buffer, area)
    }
  }

  /// The baseline's decision boundary in braille dots: the dots on both sides of every change of
  /// predicted class, across and down.
  private func drawBaseline(_ model: LogisticRegression, into buffer: inout CellBuffer, _ area: Rect) {
    guard model.weights.rows == 2 else { return }
    let (w, h) = (area.width * 2, area.height * 4)
    let dots = PlotGrid(bounds: bounds, columns: w, rows: h)
    var predicted = [Int](repeating: 0, count: w * h)
    for py in 0..<h {
      let y = dots.y(py)
      for px in 0..<w { predicted[py * w + px] = model.predict(x: dots.x(px), y: y) }
    }
    var canvas = BrailleCanvas(columns: area.width, rows: area.height)
    for py in 0..<h {
      for px in 0..<w {
        // Both dots either side of a change: a line two dots thick, visible from the back row.
        let k = predicted[py * w + px]
        if px + 1 < w && predicted[py * w + px + 1] != k {
          canvas.set(px, py, theme.text)
          canvas.set(px + 1, py, theme.text)
        }
        if py + 1 < h && predicted[(py + 1) * w + px] != k {
          canvas.set(px, py, theme.text)
          canvas.set(px, py + 1, theme.text)
        }
      }
    }
    canvas.draw(into: &buffer, x: area.x, y: area.y) { col, row in
      guard let layer, layer.columns == area.width, layer.samplesHigh == area.height * 2, !theme.monochrome else {
        return theme.background
      }
      let sample = layer.sample(column: col, row: 2 * row + 1)
      return regionColor(sample.class, sample.confidence)
    }
  }

  /// The cell and half (0 top, 1 bottom) where a point falls, if inside.
  func locate(_ x: Double, _ y: Double, in area: Rect) -> (col: Int, row: Int, half: Int)? {
    guard let spot = PlotGrid(bounds: bounds, columns: area.width, rows: area.height * 2).sample(x, y) else {
      return nil
    }
    return (spot.column, spot.row / 2, spot.row % 2)
  }

  /// Draws the points `rows` of `set` (where each falls, when known).
  private func drawPoints(
    _ set: Dataset, hollow: Bool, _ rows: some Sequence<(Int, PointCells.Spot?)>, into buffer: inout CellBuffer,
    _ area: Rect
  ) {
    for (r, known) in rows {
      let located = known.map { (col: $0.column, row: $0.row, half: $0.half) }
      guard let spot = located ?? set.plotted(r).flatMap({ locate($0.x, $0.y, in: area) }) else { continue }
      // The region colour of the half the point is in becomes the cell's background.
      var background = theme.background
      if let layer, !layer.isEmpty, layer.columns == area.width, layer.samplesHigh == area.height * 2 {
        let sample = layer.sample(column: spot.col, row: 2 * spot.row + spot.half)
        background = regionColor(sample.class, sample.confidence)
      }
      let (k, color) = theme.point(set, r, ramp: ramp)
      let glyph = hollow ? Self.hollow(theme.glyph(k)) : theme.glyph(k)
      let style =
        largePoints && !hollow
        ? Style(fg: theme.background ?? RGB(0, 0, 0), bg: color, bold: true, reverse: theme.monochrome)
        : Style(fg: color, bg: background, bold: true)
      buffer.set(area.x + spot.col, area.y + spot.row, glyph, style)
    }
  }

  /// Without colour, a region is a shade: light for even classes, dark for odd ones, denser where
  /// the network is sure.
  static func shade(_ k: Int, _ confidence: Double) -> Unicode.Scalar {
    let sure = confidence >= 0.5
    return k % 2 == 0 ? (sure ? "░" : " ") : (sure ? "▓" : "▒")
  }

  /// The outline version of a point glyph, for test points.
  static func hollow(_ glyph: Unicode.Scalar) -> Unicode.Scalar {
    switch glyph {
    case "●": return "○"
    case "▲": return "△"
    case "■": return "□"
    case "◆": return "◇"
    case "★": return "☆"
    case "✚": return "✛"
    case "o": return "°"
    case "x", "+", "*", "#", "@": return "·"
    default: return "∘"
    }
  }

  /// Tick labels: three on the y axis, three on the x axis.
  private func drawAxes(into buffer: inout CellBuffer, _ area: Rect) {
    let style = theme.dimStyle
    let gutter = Self.gutter(for: bounds)  // the labels' columns and the axis
    for (fraction, row) in [(0.0, area.y), (0.5, area.y + area.height / 2), (1.0, area.maxY - 1)] {
      let value = bounds.y(fromTop: fraction)
      buffer.put(Tick.label(value, width: gutter - 1).leftPadded(gutter - 1), x: area.x - gutter, y: row, style)
      buffer.set(area.x - 1, row, "┤", theme.borderStyle)
    }
    let last = xTick(bounds.xMax)
    var free = area.x - gutter  // labels never touch: one blank column between them
    for fraction in [0.0, 1.0, 0.5] {
      let label = xTick(bounds.x(at: fraction))
      let column = area.x + Int(fraction * Double(area.width - 1))
      let start = min(max(area.x - 1, column - label.count / 2), area.maxX - label.count)
      if fraction == 1.0 {
        buffer.put(label, x: start, y: area.maxY, style)
        continue
      }
      guard start >= free, fraction == 0 || start + label.count < area.maxX - last.count else { continue }
      buffer.put(label, x: start, y: area.maxY, style)
      free = start + label.count + 1
    }
  }

  /// An x label: never more than 6 characters (the x axis has room for three).
  private func xTick(_ value: Double) -> String { Tick.label(value, width: 6) }
}
