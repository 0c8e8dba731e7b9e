import DescentCore

/// The optimizer race beside its panels: every panel's training loss on one chart (the same axes,
/// so the curves compare), and under it each optimizer in its colour with its loss, iteration and
/// pace.
struct RaceView: Widget {
  var titles: [String]
  var snapshots: [Snapshot?]
  var theme: Theme
  var logScale: Bool

  /// The colour of panel `i`'s curve and name.
  func color(_ i: Int) -> RGB { theme.classColor(i) }

  func render(into buffer: inout CellBuffer, _ rect: Rect) {
    let tableHeight = min(titles.count + 2, rect.height / 2)
    let chart = Rect(x: rect.x, y: rect.y, width: rect.width, height: rect.height - tableHeight)
    let table = Rect(x: rect.x, y: chart.maxY, width: rect.width, height: tableHeight)
    let shown = snapshots.compactMap { $0 }
    let history = shown.max { $0.history.end < $1.history.end }?.history ?? LossHistory()
    let curves = snapshots.enumerated().compactMap { i, snapshot in
      snapshot.map { LossChart.Curve(series: $0.history.train, color: color(i)) }
    }
    LossChart(history: history, logScale: logScale, current: nil, theme: theme, curves: curves)
      .render(into: &buffer, chart)
    buffer.fill(table, " ", theme.textStyle)
    buffer.box(table, title: "race", border: theme.borderStyle, titleStyle: theme.titleStyle)
    let nameWidth = (titles.map(\.count).max() ?? 0) + 1
    for (i, title) in titles.enumerated() where i < table.height - 2 {
      let snapshot = i < snapshots.count ? snapshots[i] : nil
      let loss = snapshot?.loss.map { String(format: "%.4f", $0) } ?? "–"
      var text = " \(title.padding(toLength: nameWidth, withPad: " ", startingAt: 0))\(loss)"
      if let snapshot {
        text += "  it \(PostNumbering.label(after: snapshot.iteration))"
        if snapshot.state == .running { text += "  \(compact(snapshot.iterationsPerSecond))/s" }
        if case .diverged = snapshot.state { text += "  diverged" }
      }
      let x = buffer.put("━", x: table.x + 2, y: table.y + 1 + i, Style(fg: color(i), bg: theme.background, bold: true))
      buffer.put(text, x: x, y: table.y + 1 + i, theme.textStyle, limit: table.maxX - 1 - x)
    }
  }
}
