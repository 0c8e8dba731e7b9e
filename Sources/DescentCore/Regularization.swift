/// The penalty on the weights (never the biases): the post's L2, or L1.
public enum Regularization: String, CaseIterable, Sendable, Codable {
  /// `λ/2 · Σ ||W||²`, gradient `λ·W` (the post's).
  case l2
  /// `λ · Σ |W|`, gradient `λ·sign(W)` with `sign(0) = 0`.
  case l1

  /// The penalty term of the loss (inside the post's 1/N): `λ/2·Σ W²` or `λ·Σ|W|`.
  public func penalty(_ network: Network, lambda: Double) -> Double {
    switch self {
    case .l2: return lambda / 2 * network.squaredWeightNorm
    case .l1: return lambda * network.absoluteWeightSum
    }
  }

  /// The penalty's derivative at one weight: `λ·w` or `λ·sign(w)`.
  @inline(__always)
  func gradient(_ w: Double, lambda: Double) -> Double {
    switch self {
    case .l2: return lambda * w
    case .l1: return w > 0 ? lambda : w < 0 ? -lambda : 0
    }
  }
}

extension Network {
  /// `Σ |W|` over every weight (biases are not regularized).
  public var absoluteWeightSum: Double {
    layers.reduce(0) { sum, layer in sum + layer.W.storage.reduce(0) { $0 + abs($1) } }
  }
}
