/// How a classifier's predictions fall: `counts[actual][predicted]`, one row per class.
public struct ConfusionMatrix: Sendable, Equatable {
  /// Points of class `actual` predicted as `predicted`.
  public var counts: [[Int]]

  public init(counts: [[Int]]) { self.counts = counts }

  /// Counts `predicted` against `actual` over `classes` classes.
  public init(actual: [Int], predicted: [Int], classes: Int) {
    var counts = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
    for (a, p) in zip(actual, predicted) where a < classes && p < classes { counts[a][p] += 1 }
    self.counts = counts
  }

  public var classes: Int { counts.count }

  /// The points of class `k`.
  public func total(_ k: Int) -> Int { counts[k].reduce(0, +) }

  /// The fraction of class `k`'s points predicted as `k` (its recall); nil when it has none.
  public func accuracy(of k: Int) -> Double? {
    let n = total(k)
    return n == 0 ? nil : Double(counts[k][k]) / Double(n)
  }

  /// The fraction of all points predicted as their own class.
  public var accuracy: Double {
    let n = counts.joined().reduce(0, +)
    return n == 0 ? 0 : Double((0..<classes).map { counts[$0][$0] }.reduce(0, +)) / Double(n)
  }
}

extension Network {
  /// The confusion matrix of this classifier's predictions on `data`, over its output classes.
  public func confusion(on data: Dataset) -> ConfusionMatrix {
    ConfusionMatrix(actual: data.y, predicted: predict(data.X), classes: max(classes, data.classes))
  }
}
