import Foundation

extension Network {
  /// The class probabilities for each row of `X` (`probs` in the post's `predict`), or the
  /// prediction ŷ for regression. `X` holds the points' own columns; `features` expands them.
  public func probabilities(_ X: Matrix) -> Matrix {
    let X = features.expand(X)
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

  /// The post's `calculate_loss`: `(Σ -log p + λ/2 · Σ ||W||²) / N`; for regression the data term
  /// is `½ Σ (ŷ - y)²`, and with L1 the penalty `λ · Σ |W|`.
  public func loss(on data: Dataset, lambda: Double, regularization: Regularization = .l2) -> Double {
    var dataLoss = self.dataLoss(on: data)
    dataLoss += regularization.penalty(self, lambda: lambda)
    return 1.0 / Double(data.count) * dataLoss
  }

  /// The fraction of points whose predicted class is their label.
  public func accuracy(on data: Dataset) -> Double {
    guard data.count > 0 else { return 0 }
    let hits = zip(predict(data.X), data.y).filter { $0 == $1 }.count
    return Double(hits) / Double(data.count)
  }
}
