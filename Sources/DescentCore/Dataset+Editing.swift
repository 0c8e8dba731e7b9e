/// Points added and removed by hand (the dashboard's mouse), as ConvNetJS's demo does.
extension Dataset {
  /// The data with one more point of class `label` at `(x, y)` (two features only).
  public func adding(x: Double, y: Double, label: Int) -> Dataset {
    precondition(features == 2, "points are added to two-feature data")
    let grown = Matrix(rows: count + 1, cols: 2, storage: X.storage + [x, y])
    return Dataset(X: grown, y: self.y + [label], classes: max(classes, label + 1))
  }

  /// The index of the point nearest `(x, y)` in the first two features, if there is one.
  public func nearest(x: Double, y: Double) -> Int? {
    guard features >= 2 else { return nil }
    var best: (index: Int, distance: Double)?
    for r in 0..<count {
      let d = (X[r, 0] - x) * (X[r, 0] - x) + (X[r, 1] - y) * (X[r, 1] - y)
      if best == nil || d < best!.distance { best = (r, d) }
    }
    return best?.index
  }

  /// The data without the point at `index`, keeping the class count.
  public func removing(_ index: Int) -> Dataset {
    subset((0..<count).filter { $0 != index })
  }
}
