import Foundation

/// How a step moves the parameters along the gradient `g` (regularization included) at the
/// annealed rate `ε_t`.
public enum OptimizerKind: String, CaseIterable, Sendable, Codable {
  /// The post's: `θ ← θ - ε_t·g`.
  case gd
  /// `v ← μ·v - ε_t·g; θ ← θ + v`.
  case momentum
  /// `v_prev ← v; v ← μ·v - ε_t·g; θ ← θ - μ·v_prev + (1+μ)·v`.
  case nesterov
  /// `m ← β1·m + (1-β1)·g; s ← β2·s + (1-β2)·g²; θ ← θ - ε_t·(m/(1-β1^t)) / (sqrt(s/(1-β2^t)) + eps)`.
  case adam
}

/// The optimizer and its constants; all of them may change between two steps.
public struct Optimizer: Sendable, Equatable {
  public var kind: OptimizerKind
  /// μ, for momentum and Nesterov.
  public var momentum: Double
  public var beta1: Double
  public var beta2: Double
  /// Adam's `eps`, added to the root of the second moment.
  public var epsilon: Double

  public init(
    _ kind: OptimizerKind = .gd, momentum: Double = 0.9, beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Double = 1e-8
  ) {
    self.kind = kind
    self.momentum = momentum
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
  }

  /// The post's plain gradient descent.
  public static let gd = Optimizer()
}

/// What an optimizer remembers between steps: a velocity or first moment `v` and a second moment
/// `s` per parameter (weights then biases, layer by layer), and Adam's step count t. Starts at 0.
public struct OptimizerState: Sendable {
  public internal(set) var kind: OptimizerKind
  /// Indexed `2l` for layer l's weights, `2l + 1` for its biases.
  public internal(set) var v: [[Double]]
  public internal(set) var s: [[Double]]
  public internal(set) var t = 0

  init(kind: OptimizerKind, network: Network) {
    self.kind = kind
    let shapes = network.layers.flatMap { [$0.W.storage.count, $0.b.count] }
    v = shapes.map { [Double](repeating: 0, count: $0) }
    s = kind == .adam ? v : []
  }
}

extension Network {
  /// One step of any optimizer with either penalty: `g = scale·dW + penalty'(W)` for weights and
  /// `g = scale·db` for biases, then the optimizer's rule (see `OptimizerKind`). Returns whether
  /// every parameter is still finite.
  mutating func descend(
    gradW: [UnsafeMutablePointer<Double>], gradB: [UnsafeMutablePointer<Double>], scale: Double, lambda: Double,
    regularization: Regularization, optimizer: Optimizer, epsilon: Double, state: inout OptimizerState
  ) -> Bool {
    state.t += 1
    let t = Double(state.t)
    let (mu, b1, b2, eps) = (optimizer.momentum, optimizer.beta1, optimizer.beta2, optimizer.epsilon)
    let (c1, c2) = (1 - pow(b1, t), 1 - pow(b2, t))
    let kind = state.kind
    var check = 0.0
    /// The rule on one parameter array `theta` with its gradient `g(i)` and state slot `k`.
    func move(_ theta: inout [Double], _ k: Int, _ g: (Int, Double) -> Double) {
      theta.withUnsafeMutableBufferPointer { theta in
        state.v[k].withUnsafeMutableBufferPointer { v in
          switch kind {
          case .gd:
            for i in theta.indices { theta[i] += -epsilon * g(i, theta[i]) }
          case .momentum:
            for i in theta.indices {
              v[i] = mu * v[i] - epsilon * g(i, theta[i])
              theta[i] += v[i]
            }
          case .nesterov:
            for i in theta.indices {
              let previous = v[i]
              v[i] = mu * v[i] - epsilon * g(i, theta[i])
              theta[i] += -mu * previous + (1 + mu) * v[i]
            }
          case .adam:
            state.s[k].withUnsafeMutableBufferPointer { s in
              for i in theta.indices {
                let gi = g(i, theta[i])
                v[i] = b1 * v[i] + (1 - b1) * gi
                s[i] = b2 * s[i] + (1 - b2) * (gi * gi)
                theta[i] -= epsilon * (v[i] / c1) / ((s[i] / c2).squareRoot() + eps)
              }
            }
          }
          for i in theta.indices { check += theta[i] * 0 }  // 0 while finite, NaN once anything is not
        }
      }
    }
    for l in layers.indices {
      let (dW, db) = (gradW[l], gradB[l])
      move(&layers[l].W.storage, 2 * l) { i, w in dW[i] * scale + regularization.gradient(w, lambda: lambda) }
      move(&layers[l].b, 2 * l + 1) { j, _ in db[j] * scale }
    }
    return check.isFinite
  }
}
