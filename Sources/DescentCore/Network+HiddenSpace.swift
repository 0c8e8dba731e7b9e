/// What a hidden layer makes of the points: the space ConvNetJS draws, where the classes become
/// separable by the output layer's straight lines.
extension Network {
  /// The activations of hidden layer `layer` (0 is the first) for each row of `X` (the points'
  /// own columns): `a1 = f(X·W1 + b1)`, `a2 = f(a1·W2 + b2)`, ..., without dropout.
  public func hiddenActivations(_ X: Matrix, layer: Int) -> Matrix {
    precondition(layer >= 0 && layer < layers.count - 1, "layer \(layer) is not a hidden layer")
    let X = features.expand(X)
    let width = layers[layer].W.cols
    guard X.rows > 0 else { return Matrix(rows: 0, cols: width) }
    let workspace = Workspace(sizes: sizes, capacity: min(X.rows, Workspace.blockRows))
    var out = Matrix(rows: X.rows, cols: width)
    X.storage.withUnsafeBufferPointer { x in
      out.storage.withUnsafeMutableBufferPointer { o in
        var start = 0
        while start < X.rows {
          let rows = min(Workspace.blockRows, X.rows - start)
          forward(x.baseAddress! + start * inputs, rows: rows, into: workspace)
          (o.baseAddress! + start * width).update(from: workspace.outputs[layer], count: rows * width)
          start += rows
        }
      }
    }
    return out
  }
}
