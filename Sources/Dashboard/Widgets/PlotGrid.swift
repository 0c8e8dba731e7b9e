/// A grid of samples laid over the plotted region of the plane: sample (column, row), counted
/// from the top left, stands for the point at its centre. Every picture of the plane (the regions,
/// the unit maps, the baseline's line, the points, a click) maps through it.
public struct PlotGrid: Sendable, Equatable {
  public var bounds: PlotBounds
  public var columns: Int
  public var rows: Int

  public init(bounds: PlotBounds, columns: Int, rows: Int) {
    self.bounds = bounds
    self.columns = columns
    self.rows = rows
  }

  /// The plane's x at the centre of a column.
  public func x(_ column: Int) -> Double {
    bounds.x(at: (Double(column) + 0.5) / Double(columns))
  }

  /// The plane's y at the centre of a row (rows go down, y goes up).
  public func y(_ row: Int) -> Double {
    bounds.y(fromTop: (Double(row) + 0.5) / Double(rows))
  }

  /// The point at the centre of a sample.
  public func point(column: Int, row: Int) -> (x: Double, y: Double) { (x(column), y(row)) }

  /// Where a point of the plane falls, in columns and rows from the top left (fractional; inside
  /// the grid from 0 up to, not including, `columns` and `rows`).
  public func position(_ x: Double, _ y: Double) -> (column: Double, row: Double) {
    let (fx, fy) = bounds.fractions(x, y)
    return (fx * Double(columns), fy * Double(rows))
  }

  /// The sample a point falls in, if it is inside the grid.
  public func sample(_ x: Double, _ y: Double) -> (column: Int, row: Int)? {
    let (fx, fy) = bounds.fractions(x, y)
    guard fx >= 0, fx < 1, fy >= 0, fy < 1 else { return nil }
    return (Int(fx * Double(columns)), Int(fy * Double(rows)))
  }
}
