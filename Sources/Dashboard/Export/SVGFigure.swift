import DescentCore
import Foundation

/// The screen's plots as an SVG for slides: the decision regions, the points, the baseline line
/// when it is on, the loss curve with its markers, a title and the knob values. Crisp at any size.
public struct SVGFigure {
  public var snapshot: Snapshot
  public var settings: Settings
  public var theme: Theme
  public var logScale = true
  public var showBaseline = false

  public init(snapshot: Snapshot, settings: Settings, theme: Theme, logScale: Bool = true, showBaseline: Bool = false) {
    self.snapshot = snapshot
    self.settings = settings
    self.theme = theme
    self.logScale = logScale
    self.showBaseline = showBaseline
  }

  static let width = 1000
  static let height = 640
  /// The regions are sampled on a grid this many cells across.
  static let resolution = 150

  /// The figure's background: the theme's, or (for themes that keep the terminal's) dark or
  /// light to suit the text colour.
  var background: RGB { theme.background ?? (theme.text.luminance > 0.5 ? RGB(0x1c, 0x1c, 0x1c) : RGB(255, 255, 255)) }

  public func render() -> String {
    var svg = """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Self.width)" height="\(Self.height)" \
      viewBox="0 0 \(Self.width) \(Self.height)" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
      <rect width="100%" height="100%" fill="\(background)"/>

      """
    let title =
      "descent · " + Screen.describe(settings.setup, snapshot.data, snapshot.test)
      + " · iteration \(PostNumbering.label(after: snapshot.iteration))"
    svg += text(title, x: 20, y: 32, size: 20, color: theme.title, bold: true)
    svg += regions(x: 20, y: 50, size: 560)
    svg += lossChart(x: 630, y: 50, width: 350, height: 300)
    svg += knobValues(x: 630, y: 390)
    svg += "</svg>\n"
    return svg
  }

  // MARK: - The plot

  private func regions(x left: Double, y top: Double, size: Double) -> String {
    let bounds = snapshot.bounds
    var out = "<g id=\"regions\">\n"
    let n = Self.resolution
    let cell = size / Double(n)
    let ramp = snapshot.ramp
    let layer = BoundaryLayer(
      network: snapshot.boundaryNetwork, bounds: bounds, columns: n, rows: n / 2, ramp: ramp)
    if !layer.isEmpty {
      // One rectangle per run of equal colour along a row.
      for row in 0..<layer.samplesHigh {
        var start = 0
        var color = regionColor(layer.sample(column: 0, row: row))
        for col in 1...n {
          let next = col < n ? regionColor(layer.sample(column: col, row: row)) : nil
          if next != color {
            out += "<rect x=\"\(f(left + Double(start) * cell))\" y=\"\(f(top + Double(row) * cell))\" "
            out += "width=\"\(f(Double(col - start) * cell + 0.3))\" height=\"\(f(cell + 0.3))\" fill=\"\(color)\"/>\n"
            start = col
            if let next { color = next }
          }
        }
      }
    }
    out += "</g>\n"
    out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(size))\" height=\"\(f(size))\" fill=\"none\" "
    out += "stroke=\"\(theme.border)\"/>\n"
    if showBaseline, let baseline = snapshot.baseline, baseline.weights.rows == 2 {
      out += baselineDots(baseline, bounds: bounds, left: left, top: top, size: size)
    }
    func place(_ px: Double, _ py: Double) -> (Double, Double)? {
      let (fx, fy) = PlotGrid(bounds: bounds, columns: 1, rows: 1).position(px, py)
      guard fx >= 0, fx <= 1, fy >= 0, fy <= 1 else { return nil }
      return (left + fx * size, top + fy * size)
    }
    out += "<g id=\"points\">\n"
    for (set, hollow) in [(snapshot.test, true), (Optional(snapshot.data), false)] {
      guard let set else { continue }
      for r in 0..<set.count {
        guard let (x, y) = set.plotted(r), let (px, py) = place(x, y) else { continue }
        let (k, color) = theme.point(set, r, ramp: ramp)
        out += marker(theme.glyph(k), x: px, y: py, color: color, hollow: hollow)
      }
    }
    out += "</g>\n"
    for (i, fraction) in [0, 0.5, 1].enumerated() {
      let anchor = ["start", "middle", "end"][i]
      let value = bounds.x(at: fraction)
      out += text(
        Tick.label(value, width: 10, preferred: String(format: "%.1f", value)), x: left + Double(i) * size / 2,
        y: top + size + 16, size: 12,
        color: theme.dimText, anchor: anchor)
    }
    return out
  }

  private func regionColor(_ sample: (class: Int, confidence: Double)) -> RGB {
    theme.regionColor(sample.class, confidence: sample.confidence)
  }

  /// Where the baseline's prediction changes, as small dots.
  private func baselineDots(_ model: LogisticRegression, bounds: PlotBounds, left: Double, top: Double, size: Double)
    -> String
  {
    let n = 400
    let step = size / Double(n)
    var out = "<g id=\"baseline\" fill=\"\(theme.text)\">\n"
    var previousRow: [Int] = []
    let grid = PlotGrid(bounds: bounds, columns: n, rows: n)
    for row in 0..<n {
      let y = grid.y(row)
      let classes = (0..<n).map { col in model.predict(x: grid.x(col), y: y) }
      for col in 0..<n {
        let changes =
          (col + 1 < n && classes[col + 1] != classes[col])
          || (!previousRow.isEmpty && previousRow[col] != classes[col])
        if changes {
          out +=
            "<circle cx=\"\(f(left + (Double(col) + 0.5) * step))\" cy=\"\(f(top + (Double(row) + 0.5) * step))\" r=\"1.2\"/>\n"
        }
      }
      previousRow = classes
    }
    return out + "</g>\n"
  }

  /// A point marker in the shape of the theme's glyph for its class.
  private func marker(_ glyph: Unicode.Scalar, x: Double, y: Double, color: RGB, hollow: Bool) -> String {
    let paint =
      hollow
      ? "fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\""
      : "fill=\"\(color)\" stroke=\"\(background)\" stroke-width=\"0.8\""
    let r = 4.5
    switch glyph {
    case "▲", "△":
      return
        "<polygon points=\"\(f(x)),\(f(y - r)) \(f(x + r)),\(f(y + r * 0.8)) \(f(x - r)),\(f(y + r * 0.8))\" \(paint)/>\n"
    case "■", "□", "#":
      return
        "<rect x=\"\(f(x - r * 0.8))\" y=\"\(f(y - r * 0.8))\" width=\"\(f(r * 1.6))\" height=\"\(f(r * 1.6))\" \(paint)/>\n"
    case "◆", "◇":
      return
        "<polygon points=\"\(f(x)),\(f(y - r)) \(f(x + r)),\(f(y)) \(f(x)),\(f(y + r)) \(f(x - r)),\(f(y))\" \(paint)/>\n"
    default:
      return "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(r * 0.85))\" \(paint)/>\n"
    }
  }

  // MARK: - The loss chart

  private func lossChart(x left: Double, y top: Double, width: Double, height: Double) -> String {
    var out = text("loss", x: left, y: top - 8, size: 14, color: theme.title, bold: true)
    out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"none\" "
    out += "stroke=\"\(theme.border)\"/>\n"
    let history = snapshot.history
    guard var range = history.train.range else { return out }
    if let test = history.test.range { range = (min(range.low, test.low), max(range.high, test.high)) }
    let scale = Scale(low: range.low, high: range.high, log: logScale)
    let end = Double(max(1, history.end))
    func px(_ iteration: Int) -> Double { left + Double(iteration) / end * width }
    func py(_ loss: Double) -> Double { top + (1 - scale.fraction(loss)) * height }
    for marker in history.markers {
      out += "<line x1=\"\(f(px(marker.iteration)))\" y1=\"\(f(top))\" x2=\"\(f(px(marker.iteration)))\" "
      out += "y2=\"\(f(top + height))\" stroke=\"\(theme.marker)\" stroke-dasharray=\"3,3\"/>\n"
    }
    for (series, color, id) in [
      (history.test, theme.testLoss, "test-loss"), (history.train, theme.trainLoss, "train-loss"),
    ]
    where !series.isEmpty {
      let points = series.buckets.map { "\(f(px($0.last))),\(f(py($0.latest)))" }.joined(separator: " ")
      out += "<polyline id=\"\(id)\" points=\"\(points)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"/>\n"
    }
    for fraction in [0.0, 0.5, 1.0] {
      out += text(
        LossChart.label(scale.value(at: fraction)), x: left - 4, y: top + (1 - fraction) * height + 4,
        size: 11, color: theme.dimText, anchor: "end")
    }
    out += text("0", x: left, y: top + height + 16, size: 11, color: theme.dimText)
    out += text(
      "iteration \(Int(end).formatted(.number))", x: left + width, y: top + height + 16, size: 11,
      color: theme.dimText, anchor: "end")
    var legend = left + 8
    for (name, color, present) in [("train", theme.trainLoss, true), ("test", theme.testLoss, !history.test.isEmpty)]
    where present {
      out += "<line x1=\"\(f(legend))\" y1=\"\(f(top + 14))\" x2=\"\(f(legend + 16))\" y2=\"\(f(top + 14))\" "
      out += "stroke=\"\(color)\" stroke-width=\"2\"/>\n"
      out += text(name, x: legend + 20, y: top + 18, size: 12, color: theme.text)
      legend += 70
    }
    return out
  }

  // MARK: - The knobs

  private func knobValues(x left: Double, y top: Double) -> String {
    var lines: [String] = []
    if let loss = snapshot.loss { lines.append("loss " + String(format: "%.6f", loss)) }
    if let accuracy = snapshot.accuracy {
      var line = "accuracy " + String(format: "%.1f%%", accuracy * 100)
      if let test = snapshot.testAccuracy { line += " · test " + String(format: "%.1f%%", test * 100) }
      lines.append(line)
    }
    if let rmse = snapshot.rmse {
      var line = "RMSE " + String(format: "%.4f", rmse)
      if let test = snapshot.testRMSE { line += " · test " + String(format: "%.4f", test) }
      lines.append(line)
    }
    if let confusion = snapshot.confusion {
      lines.append("per class " + Self.perClass(confusion))
    }
    if showBaseline, let accuracy = snapshot.baselineAccuracy {
      lines.append("logistic regression " + String(format: "%.1f%%", accuracy * 100))
    }
    let shape = snapshot.boundaryNetwork.sizes.map(String.init).joined(separator: "-")
    lines.append("network \(shape) \(snapshot.boundaryNetwork.activation.rawValue)")
    // The post's knobs always; the playground's where they are not the post's.
    for knob in [Knob.epsilon, .lambda, .batch, .anneal] + Knob.all.filter({ $0.page == 3 })
    where knob.page != 3 || !knob.argument(settings).isEmpty {
      lines.append("\(knob.label) \(knob.text(settings))")
    }
    if settings.setup.task == .regression { lines.append("task regression") }
    var out = ""
    for (i, line) in lines.enumerated() {
      out += text(line, x: left, y: top + Double(i) * 22, size: 15, color: theme.text)
    }
    return out
  }

  /// `0 97.0% · 1 98.0%`: each class's accuracy.
  static func perClass(_ confusion: ConfusionMatrix) -> String {
    (0..<confusion.classes).compactMap { k in
      confusion.accuracy(of: k).map { "\(k) " + String(format: "%.1f%%", $0 * 100) }
    }.joined(separator: " · ")
  }

  // MARK: - Pieces

  private func text(
    _ content: String, x: Double, y: Double, size: Int, color: RGB, bold: Bool = false, anchor: String = "start"
  ) -> String {
    "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(size)\" fill=\"\(color)\"\(bold ? " font-weight=\"bold\"" : "")"
      + "\(anchor == "start" ? "" : " text-anchor=\"\(anchor)\"")>\(Self.escape(content))</text>\n"
  }

  private func f(_ value: Double) -> String { String(format: "%.1f", value) }

  /// Text made safe for XML.
  static func escape(_ text: String) -> String {
    var out = ""
    for c in text {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.append(c)
      }
    }
    return out
  }
}
