import Foundation

/// The hidden layers' non-linearity. Each derivative is computed from the activation's output,
/// as the post does with `1 - np.power(a1, 2)`.
public enum Activation: String, CaseIterable, Sendable, Codable {
  case tanh, sigmoid, relu

  /// `a = f(z)`.
  @inline(__always)
  public func apply(_ z: Double) -> Double {
    switch self {
    case .tanh: return Foundation.tanh(z)
    case .sigmoid: return 1 / (1 + Foundation.exp(-z))
    case .relu: return z > 0 ? z : 0
    }
  }

  /// `f'(z)` written in terms of `a = f(z)`: `1 - a²`, `a (1 - a)`, or `[a > 0]`.
  @inline(__always)
  public func derivative(output a: Double) -> Double {
    switch self {
    case .tanh: return 1 - a * a
    case .sigmoid: return a * (1 - a)
    case .relu: return a > 0 ? 1 : 0
    }
  }
}
