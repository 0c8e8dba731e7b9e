import Foundation

/// The loss as braille lines: training loss, test loss when there is a split, and a dotted
/// vertical marker wherever a knob changed or the run restarted; over the current run (on a
/// logarithmic iteration axis), the recent iterations or the whole session (`window`).
struct LossChart: Widget {
  var history: LossHistory
  var logScale: Bool
  /// The current training loss, shown in the title.
  var current: Double?
  var theme: Theme
  var window = LossWindow.run
  /// Other runs' training losses, drawn instead of the history's own lines on the same axes (the
  /// optimizer race); the history still gives the markers and the run's start.
  var curves: [Curve] = []

  struct Curve {
    var series: LossSeries
    var color: RGB
  }

  static let gutter = 7

  func render(into buffer: inout CellBuffer, _ rect: Rect) {
    buffer.fill(rect, " ", theme.textStyle)
    let value = LossText.format(current, digits: 6)
    let title =
      curves.isEmpty
      ? "loss \(value) · \(logScale ? "log" : "linear") · \(window.label)"
      : "losses · \(logScale ? "log" : "linear") · \(window.label)"
    buffer.box(rect, title: title, border: theme.borderStyle, titleStyle: theme.titleStyle)
    if curves.isEmpty { drawLegend(into: &buffer, rect) }
    let inner = rect.inset(1)
    let area = Rect(x: inner.x + Self.gutter, y: inner.y, width: inner.width - Self.gutter, height: inner.height - 1)
    guard area.width >= 2, area.height >= 2 else { return }
    var end = max(1, history.end)
    // Only this run's points but in the session window: a run just restarted (paused, say) has
    // none yet, and the last of the one before belong to other weights.
    let start: Int
    switch window {
    case .run: start = history.runStart
    case .recent: start = max(history.runStart, end - LossWindow.recentIterations)
    case .session: start = 0
    }
    end = max(end, start + 1)
    let shown = { (bucket: LossSeries.Bucket) in bucket.last >= start }
    let lines =
      curves.isEmpty
      ? [Curve(series: history.test, color: theme.testLoss), Curve(series: history.train, color: theme.trainLoss)]
      : curves
    let lows = lines.flatMap(\.series.buckets).filter(shown)
    let primary = curves.isEmpty ? [history.train] : curves.map(\.series)
    guard primary.contains(where: { $0.buckets.contains(where: shown) }), let low = lows.map(\.low).min(),
      let high = lows.map(\.high).max()
    else {
      // In a narrow panel (27 columns at 60) the short words, not the long ones cut.
      let long = "waiting for the first iteration"
      let words = inner.width - 1 >= long.count ? long : "no iteration yet"
      buffer.put(words, x: inner.x + 1, y: inner.y + inner.height / 2, theme.dimStyle, limit: inner.width - 1)
      return
    }
    let scale = Scale(low: low, high: high, log: logScale)
    var canvas = BrailleCanvas(columns: area.width, rows: area.height)
    let (pixelWidth, pixelHeight) = (canvas.pixelWidth, canvas.pixelHeight)
    let span = Double(end - start)
    /// Where an iteration falls across the chart, 0 to 1.
    func across(_ iteration: Int) -> Double {
      let i = Double(max(0, iteration - start))
      return window == .run ? log1p(i) / log1p(span) : i / span
    }
    func px(_ iteration: Int) -> Int { Int(across(iteration) * Double(pixelWidth - 1)) }
    func py(_ loss: Double) -> Int { Int(((1 - scale.fraction(loss)) * Double(pixelHeight - 1)).rounded()) }

    for marker in history.markers where marker.iteration <= end && marker.iteration >= start {
      let x = px(marker.iteration)
      for y in stride(from: 0, to: canvas.pixelHeight, by: 2) { canvas.set(x, y, theme.marker) }
    }
    for line in lines { plot(line.series, from: start, on: &canvas, color: line.color, px: px, py: py) }
    canvas.draw(into: &buffer, x: area.x, y: area.y, background: theme.background)

    // The newest marker's label, at the top beside its line.
    if let marker = history.markers.last, marker.iteration >= start {
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
    // Iterations of the run where the window is within it (as the status bar counts them), of
    // the session otherwise.
    let origin = start >= history.runStart ? history.runStart : 0
    let last = "\(compact(Double(end - origin))) it"
    let first = compact(Double(start - origin))
    buffer.put(first, x: area.x, y: area.maxY, theme.dimStyle)
    buffer.put(last, x: area.maxX - last.count, y: area.maxY, theme.dimStyle)
    if window == .run {
      // The middle of a logarithmic axis, so it reads as one.
      let middle = compact((expm1(0.5 * log1p(span))).rounded())
      let column = area.x + (area.width - middle.count) / 2
      if column > area.x + first.count + 1 && column + middle.count < area.maxX - last.count - 1 {
        buffer.put(middle, x: column, y: area.maxY, theme.dimStyle)
      }
    }
  }

  /// One series: in each pixel column a vertical run from its lowest to its highest loss, joined
  /// to the previous column, so an oscillation shows as a band; across columns without a loss
  /// (the test loss is measured a few times a second, minibatch losses once an epoch) a straight
  /// line, so a sparse series is a line too, not scattered dots.
  private func plot(
    _ series: LossSeries, from start: Int, on canvas: inout BrailleCanvas, color: RGB, px: (Int) -> Int,
    py: (Double) -> Int
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
    for bucket in series.buckets where bucket.last >= start {
      let x = px(max(start, bucket.first))
      if x != column {
        flush()
        if column >= 0, let from = lastY, x > column + 1 {
          let to = py(bucket.latest)
          var y = from
          for c in column + 1..<x {
            let next = from + Int((Double(to - from) * Double(c - column) / Double(x - column)).rounded())
            canvas.vertical(c, y, next, color)
            y = next
          }
          lastY = y
        }
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
    let titleEnd = rect.x + 30 + (window == .session ? 4 : 0)  // past the title
    guard x > titleEnd else { return }
    for (name, color) in items {
      x = buffer.put("━", x: x, y: rect.y, Style(fg: color, bg: theme.background, bold: true))
      x = buffer.put(" \(name) ", x: x, y: rect.y, theme.dimStyle)
    }
  }

  /// Loss values as tick labels of at most `width` characters (the gutter's, on screen): 0.0708,
  /// 1.2e-5, 2.8e2; one that cannot be written (overflowed) is `#`s.
  static func label(_ value: Double, width: Int = gutter - 1) -> String {
    guard value.isFinite else { return Tick.fit([], width: width) }
    if value == 0 { return "0" }
    let plain = abs(value) >= 0.001 && abs(value) < 1000 ? ["%.4g", "%.3g", "%.2g"] : []
    return Tick.fit(
      plain.map { String(format: $0, value) } + ["%.1e", "%.0e"].map { Tick.power(value, $0) }, width: width)
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
