import DescentCore

/// The hidden-size sweep: small multiples of the decision boundary, one per hidden size, each
/// with its loss, like the post's last figure but moving.
struct SweepGrid: Widget {
  /// Each panel's title ("3 units", or a card's).
  var titles: [String]
  var snapshots: [Snapshot?]
  var theme: Theme
  /// The logistic-regression line, drawn on every panel (they share the data).
  var baseline: LogisticRegression?
  /// Each panel's regions, for its network and plot area (cached by the caller: see `plotAreas`).
  var layers: [BoundaryLayer?] = []
  /// Each panel's points one a cell, as its trainer worked them out (every point without).
  var cells: [PointCells?] = []

  /// The tiles for `count` panels in `rect`: as many columns as keep each panel about square.
  static func tiles(count: Int, in rect: Rect) -> [Rect] {
    guard count > 0 else { return [] }
    let grid = UnitMaps.grid(count: count, in: rect)
    let width = rect.width / grid.columns
    let height = rect.height / grid.rows
    return (0..<count).map { i in
      Rect(
        x: rect.x + (i % grid.columns) * width, y: rect.y + (i / grid.columns) * height, width: width, height: height)
    }
  }

  /// The area each panel's regions fill, for `count` panels in `rect`.
  static func plotAreas(count: Int, in rect: Rect) -> [Rect] {
    tiles(count: count, in: rect).map { BoundaryPlot.plotArea(in: $0, axes: false) }
  }

  func render(into buffer: inout CellBuffer, _ rect: Rect) {
    buffer.fill(rect, " ", theme.textStyle)
    for (i, tile) in Self.tiles(count: titles.count, in: rect).enumerated() {
      let units = titles[i]
      guard i < snapshots.count, let snapshot = snapshots[i] else {
        buffer.box(tile, title: units, border: theme.borderStyle, titleStyle: theme.titleStyle)
        continue
      }
      let bounds = snapshot.bounds
      let loss = LossText.format(snapshot.loss, digits: 4)
      var footer = tile.width >= 22 ? "loss \(loss)" : loss
      // A panel whose run blew up says where (a card's misread line diverges in a few steps).
      if case .diverged(let at) = snapshot.state { footer = tile.width >= 22 ? "diverged at it \(at)" : "diverged" }
      BoundaryPlot(
        data: snapshot.data, test: snapshot.test, layer: i < layers.count ? layers[i] : nil, bounds: bounds,
        title: units, footer: footer, theme: theme, baseline: baseline,
        axes: false, ramp: snapshot.ramp, cells: i < cells.count ? cells[i] : nil
      ).render(into: &buffer, tile)
    }
  }
}
