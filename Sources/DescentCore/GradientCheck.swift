import Foundation

/// Compares backpropagation with centered finite differences, parameter by parameter.
public enum GradientCheck {
  /// One configuration checked, and the worst relative error over all its parameters.
  public struct Result: Sendable {
    public var activation: Activation
    public var hiddenLayers: Int
    public var classes: Int
    public var parameters: Int
    public var worstRelativeError: Double
  }

  /// The worst `|analytic - numeric| / max(|analytic|, |numeric|, floor)` over every weight and
  /// bias of the summed objective J, the numeric derivative being the centered five-point
  /// difference `(-J(θ+2h) + 8J(θ+h) - 8J(θ-h) + J(θ-2h)) / 12h`, accurate to O(h⁴).
  /// `floor` keeps derivatives that are zero up to rounding from dividing by nothing.
  /// With L1, weights within 2h of 0 are skipped (the penalty has a kink there); with `dropout`,
  /// the same masks hold for every evaluation.
  public static func worstRelativeError(
    _ network: Network, on data: Dataset, lambda: Double, regularization: Regularization = .l2,
    dropout: DropoutMasks? = nil, h: Double = 1e-3, floor: Double = 1e-4
  ) -> Double {
    worstRelativeErrors(
      network, on: data, lambda: lambda, regularization: regularization, dropout: dropout, h: h, floor: floor
    ).map { max($0.weights, $0.biases) }.max() ?? 0
  }

  /// As `worstRelativeError`, layer by layer: the worst over each layer's weights and over its
  /// biases (what the dashboard shows). `stopped` is asked before each parameter: once it says
  /// yes the check gives up, and what it returns is partial (a large network's check takes
  /// minutes, and the dashboard abandons one it no longer shows).
  public static func worstRelativeErrors(
    _ network: Network, on data: Dataset, lambda: Double, regularization: Regularization = .l2,
    dropout: DropoutMasks? = nil, h: Double = 1e-3, floor: Double = 1e-4, analytic: [Layer]? = nil,
    stopped: () -> Bool = { false }
  ) -> [(weights: Double, biases: Double)] {
    // `analytic` lets a test hand the check a gradient known to be wrong.
    let analytic =
      analytic ?? network.gradient(on: data, lambda: lambda, regularization: regularization, dropout: dropout)
    func objective(_ net: Network) -> Double {
      net.objective(on: data, lambda: lambda, regularization: regularization, dropout: dropout)
    }
    func error(_ a: Double, _ perturbed: (Double) -> Network) -> Double {
      if stopped() { return 0 }
      let points = [2 * h, h, -h, -2 * h].map(perturbed)
      // A ReLU switching on or off between θ - 2h and θ + 2h makes the difference meaningless (a kink).
      if network.activation == .relu && Set(points.map { $0.activePattern(data) }).count > 1 { return 0 }
      let J = points.map(objective)
      let numeric = (-J[0] + 8 * J[1] - 8 * J[2] + J[3]) / (12 * h)
      return abs(a - numeric) / max(abs(a), abs(numeric), floor)
    }
    return network.layers.indices.map { l in
      var worst = (weights: 0.0, biases: 0.0)
      for i in network.layers[l].W.storage.indices
      where regularization == .l2 || abs(network.layers[l].W.storage[i]) > 2 * h {
        worst.weights = max(
          worst.weights,
          error(analytic[l].W.storage[i]) { d in
            var net = network
            net.layers[l].W.storage[i] += d
            return net
          })
      }
      for j in network.layers[l].b.indices {
        worst.biases = max(
          worst.biases,
          error(analytic[l].b[j]) { d in
            var net = network
            net.layers[l].b[j] += d
            return net
          })
      }
      return worst
    }
  }

  /// Every activation, 1 to 3 hidden layers of 5 units, 2 to 4 classes, on a small spiral.
  public static func standardCases(lambda: Double = 0.01) -> [Result] {
    var results: [Result] = []
    for activation in Activation.allCases {
      for depth in 1...3 {
        for classes in 2...4 {
          var rng = RandomState(seed: UInt32(10 * depth + classes))
          let data = Dataset.spiral(24, arms: classes, noise: 0.2, rng: &rng)
          let sizes = [2] + [Int](repeating: 5, count: depth) + [classes]
          var network = Network(sizes: sizes, activation: activation, rng: &rng)
          // Non-zero biases, so no ReLU sits exactly on its kink (the spiral starts at the origin).
          for l in network.layers.indices {
            for j in network.layers[l].b.indices { network.layers[l].b[j] = 0.1 * rng.gauss() }
          }
          let worst = worstRelativeError(network, on: data, lambda: lambda)
          results.append(
            Result(
              activation: activation, hiddenLayers: depth, classes: classes,
              parameters: network.parameterCount, worstRelativeError: worst))
        }
      }
    }
    return results
  }

  /// One of issue 17's combinations checked: what it is, its parameter count and worst error.
  public struct Combination: Sendable {
    public var name: String
    public var parameters: Int
    public var worstRelativeError: Double
  }

  /// Widths per layer, input features, regression, L1 and dropout (fixed masks), alone and
  /// together, on small moons, sine or plane data.
  public static func playgroundCases(lambda: Double = 0.01) -> [Combination] {
    let all: [InputFeature] = InputFeature.allCases
    let cases:
      [(
        name: String, widths: [Int], activation: Activation, features: [InputFeature], data: DatasetKind,
        regularization: Regularization, dropout: Double
      )] = [
        ("widths 6,4", [6, 4], .tanh, [], .moons, .l2, 0),
        ("widths 3,7,2 sigmoid", [3, 7, 2], .sigmoid, [], .moons, .l2, 0),
        ("all seven features", [5], .tanh, all, .moons, .l2, 0),
        ("features x1sq,x2sq,x1x2", [4], .sigmoid, [.x1sq, .x2sq, .x1x2], .moons, .l2, 0),
        ("regression plane", [5], .tanh, [], .plane, .l2, 0),
        ("regression sine, widths 6,4", [6, 4], .tanh, [], .sine, .l2, 0),
        ("regression relu", [6], .relu, [], .plane, .l2, 0),
        ("L1", [5], .tanh, [], .moons, .l1, 0),
        ("L1, widths 6,4", [6, 4], .sigmoid, [], .moons, .l1, 0),
        ("dropout 0.3", [6], .tanh, [], .moons, .l2, 0.3),
        ("dropout 0.5, widths 8,6", [8, 6], .tanh, [], .moons, .l2, 0.5),
        ("dropout, L1, features, regression", [6, 4], .tanh, [.x1, .x2, .x1x2, .sinx1], .plane, .l1, 0.2),
        ("dropout, L1, features, classes", [5, 5], .sigmoid, [.x1sq, .x2sq, .sinx2], .moons, .l1, 0.2),
      ]
    return cases.enumerated().map { k, c in
      var rng = RandomState(seed: UInt32(100 + k))
      var data = Dataset.generate(c.data, samples: 24, noise: c.data == .moons ? 0.2 : 0.1, seed: UInt32(k))
      if c.data == .plane { data.X.storage = data.X.storage.map { $0 / 6 } }  // inputs of order 1
      let features = InputFeatures(list: c.features)
      let task = c.data.task
      let sizes = [features.count(columns: data.features)] + c.widths + [task.outputs(classes: 2)]
      var network = Network(sizes: sizes, activation: c.activation, features: features, task: task, rng: &rng)
      for l in network.layers.indices {
        for j in network.layers[l].b.indices { network.layers[l].b[j] = 0.1 * rng.gauss() }
      }
      var masks: DropoutMasks?
      if c.dropout > 0 {
        masks = DropoutMasks(widths: c.widths, rows: data.count)
        masks!.draw(p: c.dropout, rows: data.count, rng: &rng)
      }
      let worst = worstRelativeError(
        network, on: data, lambda: lambda, regularization: c.regularization, dropout: masks)
      return Combination(name: c.name, parameters: network.parameterCount, worstRelativeError: worst)
    }
  }
}

extension Network {
  /// The summed objective `N · loss` that one full-batch step descends, through fixed dropout
  /// masks when given.
  func objective(on data: Dataset, lambda: Double, regularization: Regularization, dropout: DropoutMasks?) -> Double {
    guard let dropout else {
      return loss(on: data, lambda: lambda, regularization: regularization) * Double(data.count)
    }
    let ws = Workspace(sizes: sizes, capacity: data.count)
    let X = features.expand(data.X)
    X.storage.withUnsafeBufferPointer {
      forward($0.baseAddress!, rows: data.count, into: ws, dropout: dropout.rows(from: 0))
    }
    let out = ws.outputs[layers.count - 1]
    var sum = 0.0
    if task == .regression, let targets = data.targets {
      for r in 0..<data.count { sum += (out[r] - targets[r]) * (out[r] - targets[r]) }
      sum = 0.5 * sum
    } else {
      for (r, label) in data.y.enumerated() { sum += -log(out[r * classes + label]) }
    }
    return sum + regularization.penalty(self, lambda: lambda)
  }
}

extension Network {
  /// Which hidden units are active (output above 0) for each point, layer after layer.
  fileprivate func activePattern(_ data: Dataset) -> [Bool] {
    let workspace = Workspace(sizes: sizes, capacity: data.count)
    let X = features.expand(data.X)
    X.storage.withUnsafeBufferPointer { forward($0.baseAddress!, rows: data.count, into: workspace) }
    return hiddenSizes.indices.flatMap { l in
      UnsafeBufferPointer(start: workspace.outputs[l], count: data.count * hiddenSizes[l]).map { $0 > 0 }
    }
  }
}
