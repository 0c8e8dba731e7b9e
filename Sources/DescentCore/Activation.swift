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

  /// `a = f(z)` over a buffer in place, eight lanes at a time (the forward pass's kernel).
  @inline(__always)
  func applyInPlace(_ z: UnsafeMutablePointer<Double>, count: Int) {
    switch self {
    case .tanh: mapInPlace(z, count: count) { DescentCore.tanh($0) }
    case .sigmoid: mapInPlace(z, count: count) { 1 / (1 + DescentCore.exp(-$0)) }
    case .relu: mapInPlace(z, count: count) { $0.replacing(with: 0, where: .!($0 .> 0)) }
    }
  }

  /// `δ ∘= f'(z)`, from the outputs `a` (the backward pass's `delta2 = ... * (1 - a1²)`).
  @inline(__always)
  func multiplyByDerivative(_ delta: UnsafeMutablePointer<Double>, output a: UnsafePointer<Double>, count: Int) {
    switch self {
    case .tanh: for i in 0..<count { delta[i] *= 1 - a[i] * a[i] }
    case .sigmoid: for i in 0..<count { delta[i] *= a[i] * (1 - a[i]) }
    case .relu: for i in 0..<count { delta[i] *= a[i] > 0 ? 1 : 0 }
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
