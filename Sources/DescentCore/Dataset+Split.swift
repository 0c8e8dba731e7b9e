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
