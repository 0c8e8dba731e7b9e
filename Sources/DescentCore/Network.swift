import Foundation

/// One weight layer: `z = a·W + b`, with `W` of shape fan-in x fan-out (the post's `W1` is 2 x H).
public struct Layer: Sendable, Equatable {
  public var W: Matrix
  public var b: [Double]

  public init(W: Matrix, b: [Double]) {
    precondition(b.count == W.cols, "one bias per output unit")
    self.W = W
    self.b = b
  }
}

/// A fully connected network: hidden layers with one activation, then a softmax output (or, for
/// regression, one linear output), reading the input features it was built for.
public struct Network: Sendable, Equatable {
  /// The weight layers from input to output.
  public var layers: [Layer]
  public var activation: Activation
  /// What the first layer reads of each point (the post's: its two coordinates).
  public var features: InputFeatures
  public var task: LearningTask

  public init(
    layers: [Layer], activation: Activation, features: InputFeatures = .raw, task: LearningTask = .classification
  ) {
    precondition(!layers.isEmpty, "a network has at least one layer")
    self.layers = layers
    self.activation = activation
    self.features = features
    self.task = task
  }

  /// A fresh network initialized as the post's `build_model`, generalized to any depth: reseed
  /// with `seed`, then for each layer `W = randn(fan_in, fan_out) / sqrt(fan_in)` and `b = 0`.
  public init(sizes: [Int], activation: Activation = .tanh, seed: UInt32 = 0) {
    var rng = RandomState(seed: seed)
    self.init(sizes: sizes, activation: activation, rng: &rng)
  }

  /// As `init(sizes:activation:seed:)`, drawing from `rng`, which is left where numpy's would be.
  /// `sizes[0]` counts the features the first layer reads.
  public init(
    sizes: [Int], activation: Activation = .tanh, features: InputFeatures = .raw,
    task: LearningTask = .classification, weightInit: WeightInit = .fanIn, rng: inout RandomState
  ) {
    precondition(sizes.count >= 2 && sizes.allSatisfy { $0 > 0 }, "at least an input and an output size")
    var layers: [Layer] = []
    for (fanIn, fanOut) in zip(sizes, sizes.dropFirst()) {
      var W = rng.randn(fanIn, fanOut)
      weightInit.scale(&W, fanIn: fanIn)
      layers.append(Layer(W: W, b: [Double](repeating: 0, count: fanOut)))
    }
    self.init(layers: layers, activation: activation, features: features, task: task)
  }

  /// Units per layer from input to output, e.g. `[2, 3, 2]` for the post's network.
  public var sizes: [Int] { [layers[0].W.rows] + layers.map(\.W.cols) }
  /// The features the first layer reads (after `features` has expanded a point).
  public var inputs: Int { layers[0].W.rows }
  /// Output units: the classes, or 1 for regression.
  public var classes: Int { layers[layers.count - 1].W.cols }
  /// The widths of the hidden layers.
  public var hiddenSizes: [Int] { layers.dropLast().map(\.W.cols) }
  /// How many weights and biases there are.
  public var parameterCount: Int { layers.reduce(0) { $0 + $1.W.storage.count + $1.b.count } }

  /// Whether every weight and bias is a finite number.
  public var isFinite: Bool {
    layers.allSatisfy { layer in
      layer.W.storage.allSatisfy(\.isFinite) && layer.b.allSatisfy(\.isFinite)
    }
  }

  /// The sum of the squared weights (biases are not regularized): `Σ ||W||²`.
  public var squaredWeightNorm: Double {
    layers.reduce(0) { sum, layer in sum + layer.W.storage.reduce(0) { $0 + $1 * $1 } }
  }
}
