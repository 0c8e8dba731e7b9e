/// How the data term of a gradient is scaled.
public enum GradientScale: String, CaseIterable, Sendable {
  /// The post's: the gradient of the summed loss over the batch.
  case sum
  /// Divided by the batch size, the fix readers needed for large data sets.
  case mean
}

/// The knobs of gradient descent. All of them can change between two steps without a restart.
public struct TrainingConfig: Sendable, Equatable {
  /// The learning rate ε.
  public var epsilon: Double
  /// The L2 regularization strength λ.
  public var lambda: Double
  /// Points per minibatch; `nil` (or the data size or more) is the post's full-batch descent.
  public var batchSize: Int?
  /// The annealing rate k of `epsilon_t = epsilon / (1 + k t)`; 0 keeps ε fixed.
  public var anneal: Double
  public var gradient: GradientScale
  /// The penalty λ weighs: the post's L2, or L1.
  public var regularization: Regularization
  /// How a step moves along the gradient; a change of kind starts its memory afresh.
  public var optimizer: Optimizer
  /// The probability p that a hidden unit is dropped in a training step (0: never, the post's).
  public var dropout: Double
  /// A line of backpropagation as a reader misread it (the readers' questions); `.none` is the post's.
  public var misreading = Misreading.none

  public init(
    epsilon: Double = 0.01, lambda: Double = 0.01, batchSize: Int? = nil, anneal: Double = 0,
    gradient: GradientScale = .sum, regularization: Regularization = .l2, optimizer: Optimizer = .gd,
    dropout: Double = 0
  ) {
    self.epsilon = epsilon
    self.lambda = lambda
    self.batchSize = batchSize
    self.anneal = anneal
    self.gradient = gradient
    self.regularization = regularization
    self.optimizer = optimizer
    self.dropout = dropout
  }

  /// The learning rate at iteration t: `epsilon / (1 + k t)`.
  public func epsilon(at t: Int) -> Double {
    anneal == 0 ? epsilon : epsilon / (1 + anneal * Double(t))
  }
}
