/// Ways to start other than the post's, for the readers' questions: random biases (the post's
/// are zeros) and one weight moved by one ulp. (Plain randn weights are `WeightInit.unit`.)
public struct Initialization: Sendable, Equatable {
  /// Biases drawn as `scale * randn` after all the weights (0: zeros, as the post).
  public var biasScale = 0.0
  /// Moves W1[0, 0] to the next double up: a change in the last bit.
  public var nudgesFirstWeight = false

  public init(biasScale: Double = 0, nudgesFirstWeight: Bool = false) {
    self.biasScale = biasScale
    self.nudgesFirstWeight = nudgesFirstWeight
  }

  /// Changes a freshly drawn network this way, drawing any random biases from `rng`.
  func apply(to network: inout Network, rng: inout RandomState) {
    if biasScale != 0 {
      for l in network.layers.indices {
        for j in network.layers[l].b.indices { network.layers[l].b[j] = biasScale * rng.gauss() }
      }
    }
    if nudgesFirstWeight { network.layers[0].W.storage[0] = network.layers[0].W.storage[0].nextUp }
  }
}
