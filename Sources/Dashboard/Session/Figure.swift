import DescentCore

/// What a side view asks the trainer to work out from the network on screen: passes of the
/// network over many points, or a look at every weight, which grow with the data and the network
/// and so never run on the UI thread (`TrainingSession.showFigure`).
public enum FigureRequest: Sendable, Equatable {
  /// The hidden space: units `a` and `b` of hidden layer `layer` over the grid lines and points,
  /// for a view of `columns` x `rows` cells.
  case hiddenSpace(layer: Int, a: Int, b: Int, columns: Int, rows: Int)
  /// The unit maps: the first `units` hidden units, each over a grid of `columns` x `samples`.
  case unitMaps(units: Int, columns: Int, samples: Int)
  /// The network view: each weight layer's largest weight, which its links are faded against.
  case weights
}

/// The answer to a `FigureRequest` for one network, its points and plotted region: worked out by
/// the trainer and posted in its snapshot (or by the screen for a finished run's snapshot).
public struct Figure: Sendable {
  public let request: FigureRequest
  /// The hidden space: the two units' activations along the grid lines, the axes' span and the
  /// points one a cell (nil when nothing is finite).
  var hiddenSpace: HiddenSpaceView.Space?
  /// The unit maps: each unit's vote at each grid point, row by row.
  var unitVotes: [[(class: Int, strength: Double)]] = []
  /// The network view: the largest weight (by size) of each weight layer.
  var largestWeights: [Double] = []

  /// Nil when the request does not fit the network (asked for the one before a restart).
  init?(_ request: FigureRequest, network: Network, data: Dataset, bounds: PlotBounds) {
    self.request = request
    switch request {
    case .hiddenSpace(let layer, let a, let b, let columns, let rows):
      let widths = network.hiddenSizes
      guard network.readsThePlane, layer < widths.count, a < widths[layer], b < widths[layer] else { return nil }
      let grid = HiddenSpaceView.gridLines(bounds)
      hiddenSpace = HiddenSpaceView.Space(
        lines: network.hiddenActivations(grid, layer: layer, units: [a, b]),
        points: network.hiddenActivations(data.X, layer: layer, units: [a, b]), columns: columns, rows: rows)
    case .unitMaps(let units, let columns, let samples):
      guard UnitMaps.canDraw(network), units <= network.layers[0].W.cols else { return nil }
      let grid = PlotGrid(bounds: bounds, columns: columns, rows: samples)
      let points = (0..<samples).flatMap { s in (0..<columns).map { c in grid.point(column: c, row: s) } }
      unitVotes = (0..<units).map { network.unitVotes(unit: $0, at: points) }
    case .weights:
      largestWeights = network.layers.map { $0.W.storage.map(abs).max() ?? 0 }
    }
  }
}
