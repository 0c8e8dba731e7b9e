/// Points with integer class labels: the `X` and `y` of the post; or, for regression, points with
/// a real target each.
public struct Dataset: Sendable, Equatable {
  /// One row per point, one column per feature.
  public var X: Matrix
  /// The class of each point, `0..<classes` (all 0 in a regression data set).
  public var y: [Int]
  /// How many classes the labels may take (at least 2, and more than the largest label).
  public var classes: Int
  /// The real target of each point, for regression; `nil` for classes.
  public var targets: [Double]?

  public init(X: Matrix, y: [Int], classes: Int? = nil) {
    precondition(X.rows == y.count, "one label per point")
    self.X = X
    self.y = y
    self.classes = max(classes ?? 0, (y.max() ?? 0) + 1, 2)
  }

  /// A regression data set: each point with its real target.
  public init(X: Matrix, targets: [Double]) {
    precondition(X.rows == targets.count, "one target per point")
    self.init(X: X, y: [Int](repeating: 0, count: targets.count))
    self.targets = targets
  }

  public var count: Int { y.count }
  public var features: Int { X.cols }

  /// The points at the given indices, in that order.
  public func subset(_ indices: [Int]) -> Dataset {
    var out = Dataset(X: X.rows(indices), y: indices.map { y[$0] }, classes: classes)
    out.targets = targets.map { t in indices.map { t[$0] } }
    return out
  }

  /// The bounding box of the points, `(min, max)` per feature.
  public var bounds: [(min: Double, max: Double)] {
    (0..<features).map { c in
      var lo = Double.infinity
      var hi = -Double.infinity
      for r in 0..<count {
        lo = Swift.min(lo, X[r, c])
        hi = Swift.max(hi, X[r, c])
      }
      return (lo, hi)
    }
  }
}
