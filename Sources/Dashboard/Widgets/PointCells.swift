import DescentCore

/// The points as a plot area of `columns` x `rows` cells shows them: the last point of each cell
/// (a later point covers an earlier one), of the training and of the test points. Worked out by
/// the trainer with the regions, so a frame draws at most one point a cell however many points
/// there are (a sweep's seven panels of 100,000 points took 285 ms a frame).
public struct PointCells: Sendable, Equatable {
  /// A point, and where it falls: its cell, and the half of the cell (0 top, 1 bottom).
  struct Spot: Sendable, Equatable {
    var index: Int
    var column: Int
    var row: Int
    var half: Int
  }

  var columns: Int
  var rows: Int
  var train: [Spot]
  var test: [Spot]

  init(data: Dataset, test: Dataset?, bounds: PlotBounds, columns: Int, rows: Int) {
    self.columns = columns
    self.rows = rows
    let grid = PlotGrid(bounds: bounds, columns: columns, rows: rows * 2)
    func spots(_ set: Dataset?) -> [Spot] {
      guard let set, columns > 0, rows > 0 else { return [] }
      var last = [Int](repeating: -1, count: columns * rows)
      var found: [Spot] = []
      for r in 0..<set.count {
        guard let (x, y) = set.plotted(r), let sample = grid.sample(x, y) else { continue }
        let cell = sample.row / 2 * columns + sample.column
        let spot = Spot(index: r, column: sample.column, row: sample.row / 2, half: sample.row % 2)
        if last[cell] < 0 {
          last[cell] = found.count
          found.append(spot)
        } else {
          found[last[cell]] = spot
        }
      }
      return found
    }
    train = spots(data)
    self.test = spots(test)
  }
}
