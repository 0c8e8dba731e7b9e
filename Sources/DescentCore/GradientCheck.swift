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
  public static func worstRelativeError(
    _ network: Network, on data: Dataset, lambda: Double, h: Double = 1e-3, floor: Double = 1e-4
  ) -> Double {
    worstRelativeErrors(network, on: data, lambda: lambda, h: h, floor: floor).map { max($0.weights, $0.biases) }
      .max() ?? 0
  }

  /// As `worstRelativeError`, layer by layer: the worst over each layer's weights and over its
  /// biases (what the dashboard shows).
  public static func worstRelativeErrors(
    _ network: Network, on data: Dataset, lambda: Double, h: Double = 1e-3, floor: Double = 1e-4
  ) -> [(weights: Double, biases: Double)] {
    let analytic = network.gradient(on: data, lambda: lambda)
    func objective(_ net: Network) -> Double { net.loss(on: data, lambda: lambda) * Double(data.count) }
    func error(_ a: Double, _ perturbed: (Double) -> Network) -> Double {
      let points = [2 * h, h, -h, -2 * h].map(perturbed)
      // A ReLU switching on or off between θ - 2h and θ + 2h makes the difference meaningless (a kink).
      if network.activation == .relu && Set(points.map { $0.activePattern(data) }).count > 1 { return 0 }
      let J = points.map(objective)
      let numeric = (-J[0] + 8 * J[1] - 8 * J[2] + J[3]) / (12 * h)
      return abs(a - numeric) / max(abs(a), abs(numeric), floor)
    }
    return network.layers.indices.map { l in
      var worst = (weights: 0.0, biases: 0.0)
      for i in network.layers[l].W.storage.indices {
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
}

extension Network {
  /// Which hidden units are active (output above 0) for each point, layer after layer.
  fileprivate func activePattern(_ data: Dataset) -> [Bool] {
    let workspace = Workspace(sizes: sizes, capacity: data.count)
    data.X.storage.withUnsafeBufferPointer { forward($0.baseAddress!, rows: data.count, into: workspace) }
    return hiddenSizes.indices.flatMap { l in
      UnsafeBufferPointer(start: workspace.outputs[l], count: data.count * hiddenSizes[l]).map { $0 > 0 }
    }
  }
}
