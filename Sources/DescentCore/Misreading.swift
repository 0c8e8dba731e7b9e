/// One line of the post's backpropagation written the way a reader misread it, so the readers'
/// questions can train the misreading beside the post's code and show what the line is for.
public enum Misreading: String, CaseIterable, Sendable {
  /// The post's code.
  case none
  /// The typo thread: `delta2 = delta3.dot(W2.T) * (1 - np.power(z1, 2))`, the derivative read at
  /// `z1` instead of `a1` (for tanh: `1 - z1²`).
  case derivativeOfZ
  /// `delta3 = probs` without `delta3[range(N), y] -= 1`: the labels never reach the gradient.
  case noSubtraction
  /// `delta3[range(N), (y + 1) % K] -= 1`: the 1 subtracted in the next class's column.
  case wrongColumn
}
