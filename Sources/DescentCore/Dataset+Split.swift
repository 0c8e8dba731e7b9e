import Foundation

extension Dataset {
  /// Holds out `ceil(fraction · n)` points as a test set, chosen as scikit-learn's
  /// `train_test_split(X, y, test_size=fraction, random_state=seed)` chooses them.
  public func split(testFraction fraction: Double, seed: UInt32) -> (train: Dataset, test: Dataset?) {
    guard fraction > 0 else { return (self, nil) }
    let testCount = Int((fraction * Double(count)).rounded(.up))
    var rng = RandomState(seed: seed)
    let order = rng.permutation(count)
    return (subset(Array(order[testCount...])), subset(Array(order[..<testCount])))
  }
}

extension Dataset {
  /// The points that `split(testFraction:seed:)` parts again into exactly `train` and `test`, each
  /// in its order, and the fraction that does it; nil where no fraction up to `maxFraction` holds
  /// out that many of them. A training set edited by hand can then be written as one file.
  public static func joining(train: Dataset, test: Dataset, seed: UInt32, maxFraction: Double = 0.9)
    -> (all: Dataset, testFraction: Double)?
  {
    let n = train.count + test.count
    guard test.count > 0, train.count > 0, train.features == test.features,
      (train.targets == nil) == (test.targets == nil)
    else { return nil }
    // test / n, nudged down until ceil(fraction · n) is the test set's size again.
    var fraction = Double(test.count) / Double(n)
    while Int((fraction * Double(n)).rounded(.up)) > test.count { fraction = fraction.nextDown }
    guard Int((fraction * Double(n)).rounded(.up)) == test.count, fraction <= maxFraction else { return nil }
    // The split's k-th point (test points first) comes from row order[k]: the two sets end to end,
    // read back through the inverse of that permutation.
    var rng = RandomState(seed: seed)
    var pointAt = [Int](repeating: 0, count: n)
    for (k, row) in rng.permutation(n).enumerated() { pointAt[row] = k }
    var taken = Dataset(
      X: Matrix(rows: n, cols: train.features, storage: test.X.storage + train.X.storage), y: test.y + train.y,
      classes: max(train.classes, test.classes))
    taken.targets = test.targets.flatMap { t in train.targets.map { t + $0 } }
    return (taken.subset(pointAt), fraction)
  }
}
