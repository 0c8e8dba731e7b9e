import Foundation

/// The loss over the whole session as braille lines: training loss, test loss when there is a
/// split, and a dotted vertical marker wherever a knob changed or the run restarted.
struct LossChart: Widget {
  var history: LossHistory
  var logScale: Bool
  /// The current training loss, shown in the title.
  var current: Double?
  var theme: Theme

  static let gutter = 7

  func render(into buffer: inout CellBuffer, _ rect: Rect) {
    buffer.fill(rect, " ", theme.textStyle)
    let value = current.map { String(format: "%.6f", $0) } ?? "–"
    let title = "loss \(value) · \(logScale ? "log" : "linear")"
    buffer.box(rect, title: title, border: theme.borderStyle, titleStyle: theme.titleStyle)
    drawLegend(into: &buffer, rect)
    let inner = rect.inset(1)
    let area = Rect(x: inner.x + Self.gutter, y: inner.y, width: inner.width - Self.gutter, height: inner.height - 1)
    guard area.width >= 2, area.height >= 2 else { return }
    guard var range = history.train.range else {
      buffer.put(
        "waiting for the first iteration", x: inner.x + 1, y: inner.y + inner.height / 2, theme.dimStyle,
        limit: inner.width - 1)
      return
    }
    if let test = history.test.range { range = (min(range.low, test.low), max(range.high, test.high)) }
    let scale = Scale(low: range.low, high: range.high, log: logScale)
    let end = max(1, history.end)
    var canvas = BrailleCanvas(columns: area.width, rows: area.height)
    let (pixelWidth, pixelHeight) = (canvas.pixelWidth, canvas.pixelHeight)
    func px(_ iteration: Int) -> Int { Int(Double(iteration) / Double(end) * Double(pixelWidth - 1)) }
    func py(_ loss: Double) -> Int { Int(((1 - scale.fraction(loss)) * Double(pixelHeight - 1)).rounded()) }

    for marker in history.markers where marker.iteration <= end {
      let x = px(marker.iteration)
      for y in stride(from: 0, to: canvas.pixelHeight, by: 2) { canvas.set(x, y, theme.marker) }
    }
    plot(history.test, on: &canvas, color: theme.testLoss, px: px, py: py)
    plot(history.train, on: &canvas, color: theme.trainLoss, px: px, py: py)
    canvas.draw(into: &buffer, x: area.x, y: area.y, background: theme.background)

    // The newest marker's label, at the top beside its line.
    if let marker = history.markers.last {
      let line = area.x + px(marker.iteration) / 2
      let label = String(marker.label.prefix(area.width - 1))
      // Right of the line if it fits, else left of it.
      let column = line + 1 + label.count <= area.maxX ? line + 1 : max(area.x, line - label.count)
      buffer.put(label, x: column, y: area.y, Style(fg: theme.marker, bg: theme.background))
    }
    for (fraction, row) in [(1.0, area.y), (0.5, area.y + (area.height - 1) / 2), (0.0, area.maxY - 1)] {
      buffer.put(Self.label(scale.value(at: fraction)).leftPadded(Self.gutter - 1), x: inner.x, y: row, theme.dimStyle)
      buffer.set(area.x - 1, row, "┤", theme.borderStyle)
    }
    let last = "\(compact(Double(end))) it"
    buffer.put("0", x: area.x, y: area.maxY, theme.dimStyle)
    buffer.put(last, x: area.maxX - last.count, y: area.maxY, theme.dimStyle)
  }

  /// One series: in each pixel column a vertical run from its lowest to its highest loss, joined
  /// to the previous column, so an oscillation shows as a band.
  private func plot(
    _ series: LossSeries, on canvas: inout BrailleCanvas, color: RGB, px: (Int) -> Int, py: (Double) -> Int
  ) {
    var column = -1
    var low = 0.0
    var high = 0.0
    var previousY: Int?
    func flush() {
      guard column >= 0 else { return }
      var (top, bottom) = (py(high), py(low))
      if let previousY { (top, bottom) = (min(top, previousY), max(bottom, previousY)) }
      canvas.vertical(column, top, bottom, color)
    }
    var lastY: Int?
    for bucket in series.buckets {
      let x = px(bucket.first)
      if x != column {
        flush()
        previousY = lastY
        column = x
        (low, high) = (bucket.low, bucket.high)
      } else {
        (low, high) = (min(low, bucket.low), max(high, bucket.high))
      }
      lastY = py(bucket.latest)
    }
    flush()
  }

  private func drawLegend(into buffer: inout CellBuffer, _ rect: Rect) {
    var items = [("train", theme.trainLoss)]
    if !history.test.isEmpty { items.append(("test", theme.testLoss)) }
    let text = items.map { "━ \($0.0)" }.joined(separator: " ")
    var x = rect.maxX - 2 - text.count
    let titleEnd = rect.x + 30
    guard x > titleEnd else { return }
    for (name, color) in items {
      x = buffer.put("━", x: x, y: rect.y, Style(fg: color, bg: theme.background, bold: true))
      x = buffer.put(" \(name) ", x: x, y: rect.y, theme.dimStyle)
    }
  }

  /// Loss values as tick labels: 0.0708, 1.2e-05.
  static func label(_ value: Double) -> String {
    if value == 0 { return "0" }
    if abs(value) >= 0.001 && abs(value) < 1000 { return String(format: "%.4g", value) }
    return String(format: "%.1e", value)
  }
}

/// The chart's y axis: linear or logarithmic, a little padding around the data (never below 0 on
/// a linear axis of losses that are not negative: a student should not read "-0.526" there).
struct Scale {
  var low: Double
  var high: Double
  var log: Bool

  init(low: Double, high: Double, log: Bool) {
    let useLog = log && low > 0
    var (a, b) = useLog ? (Foundation.log10(low), Foundation.log10(high)) : (low, high)
    if b - a < 1e-12 { (a, b) = (a - 0.5 * max(abs(a), 1e-6), b + 0.5 * max(abs(b), 1e-6)) }
    let pad = (b - a) * 0.05
    self.low = useLog || a < 0 ? a - pad : max(0, a - pad)
    self.high = b + pad
    self.log = useLog
  }

  /// 0 at the bottom of the axis, 1 at the top.
  func fraction(_ value: Double) -> Double {
    let v = log ? Foundation.log10(max(value, 1e-300)) : value
    return min(1, max(0, (v - low) / (high - low)))
  }

  func value(at fraction: Double) -> Double {
    let v = low + fraction * (high - low)
    return log ? pow(10, v) : v
  }
}
