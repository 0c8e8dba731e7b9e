/// A dense row-major matrix of doubles: `storage[row * cols + col]`.
public struct Matrix: Sendable, Equatable {
  public let rows: Int
  public let cols: Int
  public var storage: [Double]

  /// A `rows x cols` matrix of zeros.
  public init(rows: Int, cols: Int) {
    self.init(rows: rows, cols: cols, storage: [Double](repeating: 0, count: rows * cols))
  }

  public init(rows: Int, cols: Int, storage: [Double]) {
    precondition(storage.count == rows * cols, "storage does not fit \(rows)x\(cols)")
    self.rows = rows
    self.cols = cols
    self.storage = storage
  }

  /// A matrix from nested rows, all of the same length.
  public init(_ nested: [[Double]]) {
    let cols = nested.first?.count ?? 0
    self.init(rows: nested.count, cols: cols, storage: nested.flatMap { $0 })
  }

  public subscript(row: Int, col: Int) -> Double {
    get { storage[row * cols + col] }
    set { storage[row * cols + col] = newValue }
  }

  /// The rows as nested arrays (for files and printing).
  public var nested: [[Double]] {
    (0..<rows).map { r in Array(storage[r * cols..<(r + 1) * cols]) }
  }

  /// The sub-matrix made of the given rows, in that order.
  public func rows(_ indices: [Int]) -> Matrix {
    var out = Matrix(rows: indices.count, cols: cols)
    for (k, r) in indices.enumerated() {
      for c in 0..<cols { out.storage[k * cols + c] = storage[r * cols + c] }
    }
    return out
  }
}
