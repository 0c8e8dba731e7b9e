import Foundation

extension Network {
  /// The class probabilities for each row of `X` (`probs` in the post's `predict`), or the
  /// prediction ŷ for regression. `X` holds the points' own columns; `features` expands them.
  public func probabilities(_ X: Matrix) -> Matrix { outputs(of: layers.count - 1, for: X) }

  /// The output of weight layer `l` for each row of `X` (the points' own columns): a hidden
  /// layer's activations, or the last layer's probabilities; only `columns` of it when given (a
  /// wide layer's two units over many points). In blocks of rows, so memory stays bounded for any
  /// number of points.
  func outputs(of l: Int, for X: Matrix, columns: [Int]? = nil) -> Matrix {
    let X = features.expand(X)
    precondition(X.cols == inputs, "\(X.cols) features for a network with \(inputs) inputs")
    let width = layers[l].W.cols
    let kept = columns ?? Array(0..<width)
    precondition(kept.allSatisfy { (0..<width).contains($0) }, "layer \(l) has \(width) units")
    guard X.rows > 0 else { return Matrix(rows: 0, cols: kept.count) }
    let workspace = Workspace(sizes: sizes, capacity: min(X.rows, Workspace.blockRows))
    var out = Matrix(rows: X.rows, cols: kept.count)
    X.storage.withUnsafeBufferPointer { x in
      out.storage.withUnsafeMutableBufferPointer { o in
        var start = 0
        while start < X.rows {
          let rows = min(Workspace.blockRows, X.rows - start)
          forward(x.baseAddress! + start * inputs, rows: rows, into: workspace)
          if columns == nil {
            (o.baseAddress! + start * width).update(from: workspace.outputs[l], count: rows * width)
          } else {
            for r in 0..<rows {
              for (c, column) in kept.enumerated() {
                o[(start + r) * kept.count + c] = workspace.outputs[l][r * width + column]
              }
            }
          }
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
