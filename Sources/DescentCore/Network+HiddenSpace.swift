/// What a hidden layer makes of the points: the space ConvNetJS draws, where the classes become
/// separable by the output layer's straight lines.
extension Network {
  /// The activations of hidden layer `layer` (0 is the first) for each row of `X` (the points'
  /// own columns): `a1 = f(X·W1 + b1)`, `a2 = f(a1·W2 + b2)`, ..., without dropout.
  public func hiddenActivations(_ X: Matrix, layer: Int) -> Matrix {
    precondition(layer >= 0 && layer < layers.count - 1, "layer \(layer) is not a hidden layer")
    return outputs(of: layer, for: X)
  }

  /// The activations of only `units` of hidden layer `layer`, one column each: what the hidden
  /// space draws, without holding every unit of a wide layer for every point.
  public func hiddenActivations(_ X: Matrix, layer: Int, units: [Int]) -> Matrix {
    precondition(layer >= 0 && layer < layers.count - 1, "layer \(layer) is not a hidden layer")
    return outputs(of: layer, for: X, columns: units)
  }
}
