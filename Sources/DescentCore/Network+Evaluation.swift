import Foundation

extension Network {
  /// The class probabilities for each row of `X` (`probs` in the post's `predict`).
  public func probabilities(_ X: Matrix) -> Matrix {
    precondition(X.cols == inputs, "\(X.cols) features for a network with \(inputs) inputs")
    guard X.rows > 0 else { return Matrix(rows: 0, cols: classes) }
    // In blocks of rows, so memory stays bounded for any number of points.
    let workspace = Workspace(sizes: sizes, capacity: min(X.rows, Workspace.blockRows))
    var out = Matrix(rows: X.rows, cols: classes)
    X.storage.withUnsafeBufferPointer { x in
      out.storage.withUnsafeMutableBufferPointer { o in
        var start = 0
        while start < X.rows {
          let rows = min(Workspace.blockRows, X.rows - start)
          forward(x.baseAddress! + start * inputs, rows: rows, into: workspace)
          (o.baseAddress! + start * classes).update(from: workspace.outputs[layers.count - 1], count: rows * classes)
          start += rows
        }
      }
    }
    return out
  }

  /// The most probable class of each row (`np.argmax(probs, axis=1)`; ties go to the lower class).
  public func predict(_ X: Matrix) -> [Int] {
    let probs = probabilities(X)
    return (0..<X.rows).map { r in
      var best = 0
      for c in 1..<probs.cols where probs[r, c] > probs[r, best] { best = c }
      return best
    }
  }

  /// The post's `calculate_loss`: mean cross-entropy plus `lambda / 2 · Σ ||W||²` over N.
  public func loss(on data: Dataset, lambda: Double) -> Double {
    let probs = probabilities(data.X)
    var dataLoss = 0.0
    for (r, label) in data.y.enumerated() { dataLoss += -log(probs[r, label]) }
    dataLoss += lambda / 2 * squaredWeightNorm
    return 1.0 / Double(data.count) * dataLoss
  }

  /// The fraction of points whose predicted class is their label.
  public func accuracy(on data: Dataset) -> Double {
    guard data.count > 0 else { return 0 }
    let hits = zip(predict(data.X), data.y).filter { $0 == $1 }.count
    return Double(hits) / Double(data.count)
  }
}
