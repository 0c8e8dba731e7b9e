import DescentCore

/// The body of the post's training loop (`build_model`'s `for i in xrange(0, num_passes)`), as
/// printed in the post, generalized to any depth, activation, gradient scale and annealing. The
/// code view steps through these lines and `descent export --python` writes them, so the two
/// always show the same code.
public struct PostCode: Sendable {
  /// One line of the loop, and what it computes.
  public struct Line: Sendable, Equatable {
    public var text: String
    public var op: Op
  }

  /// What a line computes, by layer (`l` counts weight layers from 0: `W1` is layer 0).
  public enum Op: Sendable, Equatable {
    case comment
    /// `z = a.dot(W) + b` for layer l.
    case linear(Int)
    /// `a = f(z)` for hidden layer l.
    case activate(Int)
    case expScores, probs
    /// `delta3 = probs`, then `delta3[range(num_examples), y] -= 1`.
    case deltaFromProbs, subtractOne
    case weightGradient(Int), biasGradient(Int)
    /// The delta of layer l's `z` from layer l + 1's: `delta2 = delta3.dot(W2.T) * f'(a1)`.
    case backDelta(Int)
    /// `dW += reg_lambda * W` (and, for the mean gradient, the data term scaled first).
    case regularize(Int)
    /// `scale = 1.0 / num_examples`, and the bias gradient scaled by it (the mean gradient only).
    case meanScale
    case scaleBias(Int)
    case annealedRate
    case updateWeights(Int), updateBiases(Int)
  }

  public let lines: [Line]

  /// The loop for `layers` weight layers (hidden layers + 1) of `activation`. `batch` names the
  /// points, labels and count a step trains on (`X`, `y`, `num_examples` in the post; a
  /// minibatch's in the exported script).
  public init(
    layers L: Int, activation: Activation, gradient: GradientScale, annealing: Bool,
    batch: (X: String, y: String, count: String) = ("X", "y", "num_examples")
  ) {
    var lines: [Line] = []
    let (X, y, count) = batch
    func add(_ text: String, _ op: Op) { lines.append(Line(text: text, op: op)) }
    let mean = gradient == .mean
    add("# Forward propagation", .comment)
    for l in 0..<L {
      let input = l == 0 ? X : "a\(l)"
      add("z\(l + 1) = \(input).dot(W\(l + 1)) + b\(l + 1)", .linear(l))
      if l < L - 1 { add("a\(l + 1) = \(Self.activation(activation, "z\(l + 1)"))", .activate(l)) }
    }
    add("exp_scores = np.exp(z\(L))", .expScores)
    add("probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)", .probs)
    add("# Backpropagation", .comment)
    add("delta\(L + 1) = probs", .deltaFromProbs)
    add("delta\(L + 1)[range(\(count)), \(y)] -= 1", .subtractOne)
    for l in stride(from: L - 1, through: 0, by: -1) {
      let delta = "delta\(l + 2)"
      add(
        l == 0 ? "dW1 = np.dot(\(X).T, \(delta))" : "dW\(l + 1) = (a\(l).T).dot(\(delta))", .weightGradient(l))
      add(
        l == 0 ? "db1 = np.sum(\(delta), axis=0)" : "db\(l + 1) = np.sum(\(delta), axis=0, keepdims=True)",
        .biasGradient(l))
      if l > 0 {
        add("delta\(l + 1) = \(delta).dot(W\(l + 1).T) * \(Self.derivative(activation, "a\(l)"))", .backDelta(l - 1))
      }
    }
    if mean {
      add("# The mean gradient, and the regularization terms (the biases have none)", .comment)
      add("scale = 1.0 / \(count)", .meanScale)
    } else {
      add("# Add regularization terms (b1 and b2 don't have regularization terms)", .comment)
    }
    for l in stride(from: L - 1, through: 0, by: -1) {
      let n = l + 1
      add(mean ? "dW\(n) = dW\(n) * scale + reg_lambda * W\(n)" : "dW\(n) += reg_lambda * W\(n)", .regularize(l))
      if mean { add("db\(n) = db\(n) * scale", .scaleBias(l)) }
    }
    add("# Gradient descent parameter update", .comment)
    let rate = annealing ? "epsilon_t" : "epsilon"
    if annealing { add("epsilon_t = epsilon / (1 + anneal * i)", .annealedRate) }
    for l in 0..<L {
      add("W\(l + 1) += -\(rate) * dW\(l + 1)", .updateWeights(l))
      add("b\(l + 1) += -\(rate) * db\(l + 1)", .updateBiases(l))
    }
    self.lines = lines
  }

  /// The loop for a network and the training settings.
  public init(network: Network, training: TrainingConfig) {
    self.init(
      layers: network.layers.count, activation: network.activation, gradient: training.gradient,
      annealing: training.anneal != 0)
  }

  /// `a = f(z)` as numpy code.
  static func activation(_ f: Activation, _ z: String) -> String {
    switch f {
    case .tanh: return "np.tanh(\(z))"
    case .sigmoid: return "1 / (1 + np.exp(-\(z)))"
    case .relu: return "np.maximum(\(z), 0)"
    }
  }

  /// `f'(z)` in terms of `a = f(z)`, as numpy code: the post's `(1 - np.power(a1, 2))` for tanh.
  static func derivative(_ f: Activation, _ a: String) -> String {
    switch f {
    case .tanh: return "(1 - np.power(\(a), 2))"
    case .sigmoid: return "(\(a) * (1 - \(a)))"
    case .relu: return "(\(a) > 0)"
    }
  }
}
