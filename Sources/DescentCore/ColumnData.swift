import DescentKernels

/// A data set stored by column, for the one-pass kernel of a one-hidden-layer network: each
/// feature's column, then one column per class holding 1 where a row is of that class and 0
/// elsewhere (for regression, one column of the targets), each padded with zeros to a multiple of
/// `laneCount` rows so that many load as one vector; then each feature's largest magnitude.
final class ColumnData {
  let stride: Int
  let count: Int
  private let features: Int
  private let storage: UnsafeMutablePointer<Double>
  private let largest: UnsafeMutablePointer<Double>

  init(_ data: Dataset, classes: Int) {
    count = data.count
    features = data.features
    stride = (data.count + laneCount - 1) / laneCount * laneCount
    let size = stride * (features + classes) + features
    storage = .allocateOnCacheLine(capacity: size)
    storage.initialize(repeating: 0, count: size)
    largest = storage + stride * (features + classes)
    for i in 0..<data.count {
      for p in 0..<features {
        let x = data.X[i, p]
        storage[p * stride + i] = x
        if x.isNaN || x.magnitude > largest[p] { largest[p] = x.isNaN ? .nan : x.magnitude }
      }
      // A regression set's targets where a classifier's one-hot columns go.
      storage[(features + data.y[i]) * stride + i] = data.targets?[i] ?? 1
    }
  }

  deinit { storage.deallocate() }

  /// The rows from `start` on, `rows` of them, as the kernel reads them.
  func rows(from start: Int, count rows: Int) -> ColumnRows {
    (
      UnsafePointer(storage + start), UnsafePointer(storage + features * stride + start), stride, rows,
      UnsafePointer(largest)
    )
  }
}
