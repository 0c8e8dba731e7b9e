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
    var rng = RandomState(seed: seed)
    let order = rng.permutation(n)
    // Row order[k] of the file is the k-th point the split takes: the test points, then the training.
    var source = [(set: Dataset, row: Int)](repeating: (test, 0), count: n)
    for (k, row) in order.enumerated() { source[row] = k < test.count ? (test, k) : (train, k - test.count) }
    var X = Matrix(rows: n, cols: train.features)
    var y = [Int](repeating: 0, count: n)
    var targets = [Double](repeating: 0, count: n)
    for (r, s) in source.enumerated() {
      for c in 0..<X.cols { X[r, c] = s.set.X[s.row, c] }
      y[r] = s.set.y[s.row]
      targets[r] = s.set.targets?[s.row] ?? 0
    }
    var all = Dataset(X: X, y: y, classes: max(train.classes, test.classes))
    if train.targets != nil { all.targets = targets }
    return (all, fraction)
  }
}
