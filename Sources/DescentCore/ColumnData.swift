import DescentKernels

/// A data set stored by column, for the one-pass kernel of a one-hidden-layer network: each
/// feature's column, then one column per class holding 1 where a row is of that class and 0
/// elsewhere (for regression, one column of the targets), each padded with zeros to a multiple of `laneCount` rows so that many load as one
/// vector.
final class ColumnData {
  let stride: Int
  let count: Int
  private let features: Int
  private let storage: UnsafeMutablePointer<Double>

  init(_ data: Dataset, classes: Int) {
    count = data.count
    features = data.features
    stride = (data.count + laneCount - 1) / laneCount * laneCount
    storage = .allocateOnCacheLine(capacity: stride * (features + classes))
    storage.initialize(repeating: 0, count: stride * (features + classes))
    for i in 0..<data.count {
      for p in 0..<features { storage[p * stride + i] = data.X[i, p] }
      // A regression set's targets where a classifier's one-hot columns go.
      storage[(features + data.y[i]) * stride + i] = data.targets?[i] ?? 1
    }
  }

  deinit { storage.deallocate() }

  /// The rows from `start` on, `rows` of them, as the kernel reads them.
  func rows(from start: Int, count rows: Int) -> ColumnRows {
    (UnsafePointer(storage + start), UnsafePointer(storage + features * stride + start), stride, rows)
  }
}
