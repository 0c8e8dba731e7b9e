/// Ways to start the weights other than the post's, for the readers' questions: random biases
/// (the post's are zeros), weights not divided by sqrt(fan_in), one weight moved by one ulp.
public struct Initialization: Sendable, Equatable {
  /// Biases drawn as `scale * randn` after each layer's weights (0: zeros, as the post).
  public var biasScale = 0.0
  /// The post's `randn(fan_in, fan_out) / np.sqrt(fan_in)`; false keeps plain `randn`.
  public var dividesBySqrtFanIn = true
  /// Moves W1[0, 0] to the next double up: a change in the last bit.
  public var nudgesFirstWeight = false

  public init(biasScale: Double = 0, dividesBySqrtFanIn: Bool = true, nudgesFirstWeight: Bool = false) {
    self.biasScale = biasScale
    self.dividesBySqrtFanIn = dividesBySqrtFanIn
    self.nudgesFirstWeight = nudgesFirstWeight
  }

  /// A network drawn from `rng` this way (layer by layer: weights, then biases when random).
  func network(sizes: [Int], activation: Activation, rng: inout RandomState) -> Network {
    var layers: [Layer] = []
    for (fanIn, fanOut) in zip(sizes, sizes.dropFirst()) {
      var W = rng.randn(fanIn, fanOut)
      if dividesBySqrtFanIn {
        let scale = Double(fanIn).squareRoot()
        for i in 0..<W.storage.count { W.storage[i] /= scale }
      }
      let b = (0..<fanOut).map { _ in biasScale == 0 ? 0 : biasScale * rng.gauss() }
      layers.append(Layer(W: W, b: b))
    }
    if nudgesFirstWeight { layers[0].W.storage[0] = layers[0].W.storage[0].nextUp }
    return Network(layers: layers, activation: activation)
  }
}
