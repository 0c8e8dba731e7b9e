/// Points with integer class labels: the `X` and `y` of the post.
public struct Dataset: Sendable, Equatable {
  /// One row per point, one column per feature.
  public var X: Matrix
  /// The class of each point, `0..<classes`.
  public var y: [Int]
  /// How many classes the labels may take (at least 2, and more than the largest label).
  public var classes: Int

  public init(X: Matrix, y: [Int], classes: Int? = nil) {
    precondition(X.rows == y.count, "one label per point")
    self.X = X
    self.y = y
    self.classes = max(classes ?? 0, (y.max() ?? 0) + 1, 2)
  }

  public var count: Int { y.count }
  public var features: Int { X.cols }

  /// The points at the given indices, in that order.
  public func subset(_ indices: [Int]) -> Dataset {
    Dataset(X: X.rows(indices), y: indices.map { y[$0] }, classes: classes)
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
