import DescentCore
import Foundation

/// The hidden space, as ConvNetJS draws it: every point at the activations of two units of a
/// hidden layer, over the image of the input plane's grid lines, so the warping that makes the
/// classes separable can be seen.
struct HiddenSpaceView: Widget {
  var network: Network
  var data: Dataset
  /// The plane whose grid lines are mapped (the boundary plot's).
  var bounds: PlotBounds
  var theme: Theme
  /// The hidden layer (0 is the first) and the two of its units on the axes.
  var layer = 0
  var units = (0, 1)
  /// A regression run's colour ramp: the points are coloured by their target on it.
  var ramp: RegressionRamp? = nil
  /// The units' activations, worked out by the trainer (`request`); drawn without them until
  /// they come.
  var figure: Figure? = nil

  /// Grid lines across the plane in each direction, and the samples along each.
  static let gridLines = 9
  static let samples = 64

  /// The layer and units that can be shown (a layer needs two units); nil when none can.
  static func choice(_ network: Network, layer: Int, units: (Int, Int)) -> (layer: Int, units: (Int, Int))? {
    guard network.readsThePlane else { return nil }
    let widths = network.hiddenSizes
    guard let l = ([layer] + Array(widths.indices)).first(where: { $0 < widths.count && widths[$0] >= 2 }) else {
      return nil
    }
    let a = units.0 < widths[l] ? units.0 : 0
    let b = units.1 < widths[l] && units.1 != a ? units.1 : (a + 1) % widths[l]
    return (l, (a, b))
  }

  /// What the view in `rect` needs worked out, if it can be drawn at all.
  func request(in rect: Rect) -> FigureRequest? {
    let inner = rect.inset(1)
    guard inner.width >= 4, inner.height >= 3 else { return nil }
    return Self.choice(network, layer: layer, units: units).map {
      .hiddenSpace(layer: $0.layer, a: $0.units.0, b: $0.units.1, columns: inner.width, rows: inner.height)
    }
  }

  /// What the trainer works out for the view: the two units' activations along the grid lines,
  /// the span of the axes (what the units reach over the lines and the points, a little padded),
  /// and the points one a cell of a `columns` x `rows` view (the last of each cell, as drawn).
  struct Space: Sendable {
    var lines: Matrix
    var lo: (Double, Double)
    var hi: (Double, Double)
    var points: [(index: Int, column: Int, row: Int)]

    /// Nil when no point or line has finite activations.
    init?(lines: Matrix, points: Matrix, columns: Int, rows: Int) {
      var (lo, hi) = ((Double.infinity, Double.infinity), (-Double.infinity, -Double.infinity))
      for matrix in [lines, points] {
        for r in 0..<matrix.rows where matrix[r, 0].isFinite && matrix[r, 1].isFinite {
          lo = (min(lo.0, matrix[r, 0]), min(lo.1, matrix[r, 1]))
          hi = (max(hi.0, matrix[r, 0]), max(hi.1, matrix[r, 1]))
        }
      }
      guard lo.0.isFinite, lo.1.isFinite else { return nil }
      let pad = (max(1e-9, (hi.0 - lo.0) * 0.05), max(1e-9, (hi.1 - lo.1) * 0.05))
      (self.lines, self.lo, self.hi) = (lines, (lo.0 - pad.0, lo.1 - pad.1), (hi.0 + pad.0, hi.1 + pad.1))
      self.points = []
      var last = [Int](repeating: -1, count: columns * rows)
      var kept: [(index: Int, column: Int, row: Int)] = []
      for r in 0..<points.rows where points[r, 0].isFinite && points[r, 1].isFinite {
        let (x, y) = pixel(points[r, 0], points[r, 1], columns: columns, rows: rows)
        let (column, row) = (x / 2, y / 4)
        guard column >= 0, row >= 0, column < columns, row < rows else { continue }
        if last[row * columns + column] < 0 {
          last[row * columns + column] = kept.count
          kept.append((r, column, row))
        } else {
          kept[last[row * columns + column]] = (r, column, row)
        }
      }
      self.points = kept
    }

    /// The braille dot of activations (u, v) in a canvas of `columns` x `rows` cells.
    func pixel(_ u: Double, _ v: Double, columns: Int, rows: Int) -> (Int, Int) {
      (
        Int((u - lo.0) / (hi.0 - lo.0) * Double(columns * 2 - 1)),
        Int((hi.1 - v) / (hi.1 - lo.1) * Double(rows * 4 - 1))
      )
    }
  }

  /// The grid lines of the plane, x = const then y = const, as points.
  static func gridLines(_ bounds: PlotBounds) -> Matrix {
    let n = gridLines
    let m = samples
    var grid = Matrix(rows: 2 * n * m, cols: 2)
    for line in 0..<n {
      let u = Double(line) / Double(n - 1)
      for s in 0..<m {
        let t = Double(s) / Double(m - 1)
        let (x, y) = (bounds.xMin + u * (bounds.xMax - bounds.xMin), bounds.yMin + t * (bounds.yMax - bounds.yMin))
        grid[line * m + s, 0] = x
        grid[line * m + s, 1] = y
        grid[(n + line) * m + s, 0] = bounds.xMin + t * (bounds.xMax - bounds.xMin)
        grid[(n + line) * m + s, 1] = bounds.yMin + u * (bounds.yMax - bounds.yMin)
      }
    }
    return grid
  }

  func render(into buffer: inout CellBuffer, _ rect: Rect) {
    buffer.fill(rect, " ", theme.textStyle)
    guard let (l, (a, b)) = Self.choice(network, layer: layer, units: units) else {
      buffer.box(rect, title: "hidden space", border: theme.borderStyle, titleStyle: theme.titleStyle)
      buffer.put("needs a hidden layer of 2 units", x: rect.x + 2, y: rect.y + 1, theme.dimStyle, limit: rect.width - 4)
      return
    }
    let long = "hidden space: layer \(l + 1), units \(a + 1) and \(b + 1)"
    let title = rect.width >= long.count + 6 ? long : "hidden space L\(l + 1) u\(a + 1),u\(b + 1)"
    buffer.box(rect, title: title, border: theme.borderStyle, titleStyle: theme.titleStyle)
    let inner = rect.inset(1)
    guard inner.width >= 4, inner.height >= 3 else { return }
    guard let figure, figure.request == request(in: rect) else {
      buffer.waiting(for: "the hidden space", in: inner, theme)
      return
    }
    guard let space = figure.hiddenSpace else { return }
    var canvas = BrailleCanvas(columns: inner.width, rows: inner.height)
    let gridColor = theme.dimText
    let lines = space.lines
    for r in 0..<lines.rows where lines[r, 0].isFinite && lines[r, 1].isFinite {
      let (x, y) = space.pixel(lines[r, 0], lines[r, 1], columns: inner.width, rows: inner.height)
      canvas.set(x, y, gridColor)
    }
    canvas.draw(into: &buffer, x: inner.x, y: inner.y, background: theme.background)
    // The points on top, one glyph a cell in their class's colour (their target's, on a ramp).
    for (r, column, row) in space.points where r < data.count {
      let (k, color) = theme.point(data, r, ramp: ramp)
      buffer.put(
        String(theme.glyph(k)), x: inner.x + column, y: inner.y + row,
        Style(fg: color, bg: theme.background, bold: true))
    }
  }
}
