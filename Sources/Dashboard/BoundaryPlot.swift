import DescentCore
import Foundation

/// The plotted region of the plane: the data's range padded by 0.5 on each side, as the post's
/// `plot_decision_boundary` does.
public struct PlotBounds: Equatable, Sendable {
  public var xMin: Double
  public var xMax: Double
  public var yMin: Double
  public var yMax: Double

  public init(xMin: Double, xMax: Double, yMin: Double, yMax: Double) {
    self.xMin = xMin
    self.xMax = xMax
    self.yMin = yMin
    self.yMax = yMax
  }

  public init(_ sets: [Dataset], padding: Double = 0.5) {
    var (x0, x1, y0, y1) = (Double.infinity, -Double.infinity, Double.infinity, -Double.infinity)
    for data in sets where data.features >= 2 {
      let b = data.bounds
      (x0, x1, y0, y1) = (min(x0, b[0].min), max(x1, b[0].max), min(y0, b[1].min), max(y1, b[1].max))
    }
    if !x0.isFinite { (x0, x1, y0, y1) = (0, 1, 0, 1) }
    self.init(xMin: x0 - padding, xMax: x1 + padding, yMin: y0 - padding, yMax: y1 + padding)
  }

  /// The bounds of the training points and the test points, if any.
  public init(_ train: Dataset, test: Dataset?) { self.init([train] + (test.map { [$0] } ?? [])) }

  /// These bounds, grown where a point of `data` lies outside them.
  public func including(_ data: Dataset) -> PlotBounds {
    let other = PlotBounds([data], padding: 0)
    return PlotBounds(
      xMin: min(xMin, other.xMin), xMax: max(xMax, other.xMax), yMin: min(yMin, other.yMin), yMax: max(yMax, other.yMax)
    )
  }
}

/// The decision regions sampled on a grid: two samples per cell, one above the other, each the
/// most probable class and how confident the network is in it.
public struct BoundaryLayer: Sendable, Equatable {
  public let columns: Int
  /// Twice the rows of cells.
  public let samplesHigh: Int
  public let classes: [Int]
  /// Per sample, 0 where the classes are equally likely to 1 where one is certain.
  public let confidence: [Double]

  /// Multiply-adds one frame's regions may cost; a larger network is evaluated on a coarser grid
  /// (each sample standing for a square of its neighbours), so a frame stays within a few
  /// milliseconds whatever the shape: 6 layers of 256 units at 250x70 would be 11 G otherwise.
  static let budget = 4_000_000

  /// Evaluates `network` at the centre of every half cell of a `columns x rows` area of `bounds`
  /// (or of every `step`-th one, for a network too large for the budget).
  public init(network: Network, bounds: PlotBounds, columns: Int, rows: Int) {
    self.columns = max(0, columns)
    samplesHigh = max(0, rows) * 2
    guard network.readsThePlane, self.columns > 0, samplesHigh > 0 else {
      classes = []
      confidence = []
      return
    }
    let cost = Double(network.parameterCount) * Double(self.columns * samplesHigh)
    let step = max(1, Int((cost / Double(Self.budget)).squareRoot().rounded(.up)))
    let (across, down) = ((self.columns + step - 1) / step, (samplesHigh + step - 1) / step)
    var grid = Matrix(rows: across * down, cols: 2)
    for s in 0..<down {
      let sample = min(samplesHigh - 1, s * step + step / 2)
      let y = bounds.yMax - (Double(sample) + 0.5) / Double(samplesHigh) * (bounds.yMax - bounds.yMin)
      for c in 0..<across {
        let column = min(self.columns - 1, c * step + step / 2)
        grid[s * across + c, 0] =
          bounds.xMin + (Double(column) + 0.5) / Double(self.columns) * (bounds.xMax - bounds.xMin)
        grid[s * across + c, 1] = y
      }
    }
    let probs = network.probabilities(grid)
    let K = network.classes
    var classes = [Int](repeating: 0, count: self.columns * samplesHigh)
    var confidence = [Double](repeating: 0, count: self.columns * samplesHigh)
    for s in 0..<samplesHigh {
      for c in 0..<self.columns {
        let i = (s / step) * across + c / step
        var best = 0
        for k in 1..<K where probs[i, k] > probs[i, best] { best = k }
        let p = probs[i, best]
        classes[s * self.columns + c] = best
        confidence[s * self.columns + c] = p.isFinite ? min(1, max(0, (p - 1 / Double(K)) / (1 - 1 / Double(K)))) : 0
      }
    }
    self.classes = classes
    self.confidence = confidence
  }

  public var isEmpty: Bool { classes.isEmpty }

  public func sample(column: Int, row: Int) -> (class: Int, confidence: Double) {
    let i = row * columns + column
    return (classes[i], confidence[i])
  }
}

/// The decision boundary and the data: regions in half blocks shaded by confidence, points on
/// top in their class colour, axis ticks at the edges.
struct BoundaryPlot {
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

  /// Columns left of the plot for y labels, and rows below it for x labels.
  static let gutter = 5
  static let axisRows = 1

  /// The area the regions fill, inside the border and the axis labels.
  static func plotArea(in rect: Rect, axes: Bool = true) -> Rect {
    let inner = rect.inset(1)
    guard axes else { return inner }
    return Rect(x: inner.x + gutter, y: inner.y, width: inner.width - gutter, height: inner.height - axisRows)
  }

  /// Region colour: the class's colour at full confidence, `uncertain` at a coin toss, in five
  /// steps so that confident and uncertain areas read as bands.
  func regionColor(_ k: Int, _ confidence: Double) -> RGB {
    let level = (confidence * 4).rounded() / 4
    return theme.uncertain.mixed(with: theme.regionColor(k), level)
  }

  func render(into buffer: inout CellBuffer, _ rect: Rect) {
    buffer.fill(rect, " ", theme.textStyle)
    buffer.box(rect, title: title, border: theme.borderStyle, titleStyle: theme.titleStyle)
    if !footer.isEmpty && rect.width > footer.count + 4 {
      buffer.put(" \(footer) ", x: rect.maxX - footer.count - 4, y: rect.maxY - 1, theme.dimStyle)
    }
    let area = Self.plotArea(in: rect, axes: axes)
    guard area.width >= 2, area.height >= 2 else { return }

    if let layer, !layer.isEmpty, layer.columns == area.width, layer.samplesHigh == area.height * 2, theme.monochrome {
      for row in 0..<area.height {
        for col in 0..<area.width {
          let top = layer.sample(column: col, row: 2 * row)
          buffer.set(area.x + col, area.y + row, Self.shade(top.class, top.confidence), theme.textStyle)
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
    if let test { drawPoints(test, hollow: true, into: &buffer, area) }
    drawPoints(data, hollow: false, into: &buffer, area)
  }

  /// The baseline's decision boundary in braille dots: the dots on both sides of every change of
  /// predicted class, across and down.
  private func drawBaseline(_ model: LogisticRegression, into buffer: inout CellBuffer, _ area: Rect) {
    guard model.weights.rows == 2 else { return }
    let (w, h) = (area.width * 2, area.height * 4)
    var predicted = [Int](repeating: 0, count: w * h)
    for py in 0..<h {
      let y = bounds.yMax - (Double(py) + 0.5) / Double(h) * (bounds.yMax - bounds.yMin)
      for px in 0..<w {
        let x = bounds.xMin + (Double(px) + 0.5) / Double(w) * (bounds.xMax - bounds.xMin)
        predicted[py * w + px] = model.predict(x: x, y: y)
      }
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
    let fx = (x - bounds.xMin) / (bounds.xMax - bounds.xMin)
    let fy = (bounds.yMax - y) / (bounds.yMax - bounds.yMin)
    guard fx >= 0, fx < 1, fy >= 0, fy < 1 else { return nil }
    let sample = Int(fy * Double(area.height * 2))
    return (Int(fx * Double(area.width)), sample / 2, sample % 2)
  }

  private func drawPoints(_ set: Dataset, hollow: Bool, into buffer: inout CellBuffer, _ area: Rect) {
    guard set.features >= 2 else { return }
    for r in 0..<set.count {
      guard let spot = locate(set.X[r, 0], set.X[r, 1], in: area) else { continue }
      // The region colour of the half the point is in becomes the cell's background.
      var background = theme.background
      if let layer, !layer.isEmpty, layer.columns == area.width, layer.samplesHigh == area.height * 2 {
        let sample = layer.sample(column: spot.col, row: 2 * spot.row + spot.half)
        background = regionColor(sample.class, sample.confidence)
      }
      let glyph = hollow ? Self.hollow(theme.glyph(set.y[r])) : theme.glyph(set.y[r])
      let color = theme.classColor(set.y[r])
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
    for (fraction, row) in [(0.0, area.y), (0.5, area.y + area.height / 2), (1.0, area.maxY - 1)] {
      let value = bounds.yMax - fraction * (bounds.yMax - bounds.yMin)
      buffer.put(tick(value).leftPadded(Self.gutter - 1), x: area.x - Self.gutter, y: row, style)
      buffer.set(area.x - 1, row, "┤", theme.borderStyle)
    }
    var free = area.x - Self.gutter  // labels never touch: one blank column between them
    for fraction in [0.0, 1.0, 0.5] {
      let value = bounds.xMin + fraction * (bounds.xMax - bounds.xMin)
      let label = tick(value)
      let column = area.x + Int(fraction * Double(area.width - 1))
      let start = min(max(area.x - 1, column - label.count / 2), area.maxX - label.count)
      if fraction == 1.0 {
        buffer.put(label, x: start, y: area.maxY, style)
        continue
      }
      guard start >= free, fraction == 0 || start + label.count < area.maxX - tick(bounds.xMax).count else { continue }
      buffer.put(label, x: start, y: area.maxY, style)
      free = start + label.count + 1
    }
  }

  func tick(_ value: Double) -> String {
    let text = abs(value) >= 100 ? String(format: "%.0f", value) : String(format: "%.1f", value)
    return text == "-0.0" ? "0.0" : text
  }
}
