import DescentCore

/// The body of the post's training loop (`build_model`'s `for i in xrange(0, num_passes)`), as
/// printed in the post, generalized to any depth, activation, gradient scale and annealing, and
/// to issue 17's options: input features, regression, L1, momentum, Nesterov, Adam and dropout.
/// The code view steps through these lines and `descent export --python` writes them, so the two
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
    /// Dropout on hidden layer l: the mask drawn, then `a_drop = a * mask`.
    case dropoutMask(Int), dropoutApply(Int)
    case expScores, probs
    /// Regression: the prediction is the last `z`; `delta = yhat - y`.
    case prediction, regressionDelta
    /// `delta3 = probs`, then `delta3[range(num_examples), y] -= 1`.
    case deltaFromProbs, subtractOne
    case weightGradient(Int), biasGradient(Int)
    /// The delta of layer l's `z` from layer l + 1's: `delta2 = delta3.dot(W2.T) * f'(a1)`.
    case backDelta(Int)
    /// `dW += reg_lambda * W` (or `* np.sign(W)` for L1; for the mean gradient the data term is
    /// scaled first).
    case regularize(Int)
    /// `scale = 1.0 / num_examples`, and the bias gradient scaled by it (the mean gradient only).
    case meanScale
    case scaleBias(Int)
    case annealedRate
    /// Adam's step count `t += 1`.
    case adamStep
    /// The optimizer's memory of a parameter (layer l's weights or biases): momentum's velocity
    /// `v`, Nesterov's `v_prev` and `v`, Adam's moments `m` and `s`.
    case remember(Int, weights: Bool)
    case velocity(Int, weights: Bool)
    case firstMoment(Int, weights: Bool), secondMoment(Int, weights: Bool)
    case updateWeights(Int), updateBiases(Int)
  }

  /// What shapes the loop: every option the code depends on.
  public struct Shape: Sendable, Equatable {
    /// Weight layers (hidden layers + 1).
    public var layers: Int
    public var activation: Activation = .tanh
    public var gradient: GradientScale = .sum
    public var annealing = false
    public var task = LearningTask.classification
    public var features = InputFeatures.raw
    public var regularization = Regularization.l2
    public var optimizer = OptimizerKind.gd
    public var dropout = false

    public init(layers: Int) { self.layers = layers }

    /// The shape of a network trained with `training`.
    public init(network: Network, training: TrainingConfig) {
      layers = network.layers.count
      activation = network.activation
      gradient = training.gradient
      annealing = training.anneal != 0
      task = network.task
      features = network.features
      regularization = training.regularization
      optimizer = training.optimizer.kind
      dropout = training.dropout > 0
    }
  }

  public let lines: [Line]
  public let shape: Shape

  /// The loop of `shape`. `batch` names the points, labels and count a step trains on (`X`, `y`,
  /// `num_examples` in the post; a minibatch's in the exported script).
  public init(_ shape: Shape, batch: (X: String, y: String, count: String) = ("X", "y", "num_examples")) {
    self.shape = shape
    var lines: [Line] = []
    let (X, y, count) = batch
    let L = shape.layers
    func add(_ text: String, _ op: Op) { lines.append(Line(text: text, op: op)) }
    let mean = shape.gradient == .mean
    /// What layer l reads: X, or the hidden layer before it (after its dropout mask).
    func input(_ l: Int) -> String { l == 0 ? X : shape.dropout ? "a\(l)_drop" : "a\(l)" }
    if !shape.features.isRaw {
      add("# \(X) holds each point's features \(shape.features.description), worked out once", .comment)
    }
    add("# Forward propagation", .comment)
    for l in 0..<L {
      add("z\(l + 1) = \(input(l)).dot(W\(l + 1)) + b\(l + 1)", .linear(l))
      guard l < L - 1 else { continue }
      add("a\(l + 1) = \(Self.activation(shape.activation, "z\(l + 1)"))", .activate(l))
      if shape.dropout {
        add("mask\(l + 1) = (np.random.random_sample(a\(l + 1).shape) >= dropout) / (1 - dropout)", .dropoutMask(l))
        add("a\(l + 1)_drop = a\(l + 1) * mask\(l + 1)", .dropoutApply(l))
      }
    }
    if shape.task == .regression {
      add("yhat = z\(L)", .prediction)
      add("# Backpropagation", .comment)
      add("delta\(L + 1) = yhat - \(y).reshape(-1, 1)", .regressionDelta)
    } else {
      add("exp_scores = np.exp(z\(L))", .expScores)
      add("probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)", .probs)
      add("# Backpropagation", .comment)
      add("delta\(L + 1) = probs", .deltaFromProbs)
      add("delta\(L + 1)[range(\(count)), \(y)] -= 1", .subtractOne)
    }
    for l in stride(from: L - 1, through: 0, by: -1) {
      let delta = "delta\(l + 2)"
      add(
        l == 0 ? "dW1 = np.dot(\(X).T, \(delta))" : "dW\(l + 1) = (\(input(l)).T).dot(\(delta))", .weightGradient(l))
      add(
        l == 0 ? "db1 = np.sum(\(delta), axis=0)" : "db\(l + 1) = np.sum(\(delta), axis=0, keepdims=True)",
        .biasGradient(l))
      if l > 0 {
        let mask = shape.dropout ? " * mask\(l)" : ""
        add(
          "delta\(l + 1) = \(delta).dot(W\(l + 1).T) * \(Self.derivative(shape.activation, "a\(l)"))\(mask)",
          .backDelta(l - 1))
      }
    }
    let l1 = shape.regularization == .l1
    if mean {
      add("# The mean gradient, and the regularization terms (the biases have none)", .comment)
      add("scale = 1.0 / \(count)", .meanScale)
    } else {
      add("# Add regularization terms (b1 and b2 don't have regularization terms)", .comment)
    }
    for l in stride(from: L - 1, through: 0, by: -1) {
      let n = l + 1
      let term = l1 ? "reg_lambda * np.sign(W\(n))" : "reg_lambda * W\(n)"
      add(mean ? "dW\(n) = dW\(n) * scale + \(term)" : "dW\(n) += \(term)", .regularize(l))
      if mean { add("db\(n) = db\(n) * scale", .scaleBias(l)) }
    }
    let rate = shape.annealing ? "epsilon_t" : "epsilon"
    switch shape.optimizer {
    case .gd: add("# Gradient descent parameter update", .comment)
    case .momentum: add("# Momentum: each parameter moves by its velocity v", .comment)
    case .nesterov: add("# Nesterov momentum: the velocity v, and a step that looks ahead", .comment)
    case .adam: add("# Adam: moments m and s of each gradient, bias-corrected by step t", .comment)
    }
    if shape.annealing { add("epsilon_t = epsilon / (1 + anneal * i)", .annealedRate) }
    if shape.optimizer == .adam { add("t += 1", .adamStep) }
    for l in 0..<L {
      for weights in [true, false] {
        let p = "\(weights ? "W" : "b")\(l + 1)"
        let update: Op = weights ? .updateWeights(l) : .updateBiases(l)
        switch shape.optimizer {
        case .gd:
          add("\(p) += -\(rate) * d\(p)", update)
        case .momentum:
          add("v\(p) = mu * v\(p) - \(rate) * d\(p)", .velocity(l, weights: weights))
          add("\(p) += v\(p)", update)
        case .nesterov:
          add("v\(p)_prev = v\(p)", .remember(l, weights: weights))
          add("v\(p) = mu * v\(p) - \(rate) * d\(p)", .velocity(l, weights: weights))
          add("\(p) += -mu * v\(p)_prev + (1 + mu) * v\(p)", update)
        case .adam:
          add("m\(p) = beta1 * m\(p) + (1 - beta1) * d\(p)", .firstMoment(l, weights: weights))
          add("s\(p) = beta2 * s\(p) + (1 - beta2) * (d\(p) * d\(p))", .secondMoment(l, weights: weights))
          add(
            "\(p) -= \(rate) * (m\(p) / (1 - beta1 ** t)) / (np.sqrt(s\(p) / (1 - beta2 ** t)) + adam_eps)", update)
        }
      }
    }
    self.lines = lines
  }

  /// The loop for a network and the training settings.
  public init(network: Network, training: TrainingConfig) {
    self.init(Shape(network: network, training: training))
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
