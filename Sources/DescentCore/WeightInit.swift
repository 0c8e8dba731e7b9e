/// How a fresh network's weights are drawn: `randn(fan_in, fan_out)`, then scaled. A reader asked
/// why the post divides by `sqrt(fan_in)`: so each unit's weighted sum starts with about the
/// spread of one input, whatever the number of inputs, and tanh starts in its slope, not flat.
public enum WeightInit: String, CaseIterable, Sendable {
  /// The post's `np.random.randn(nn_input_dim, nn_hdim) / np.sqrt(nn_input_dim)`.
  case fanIn = "fan-in"
  /// Plain `randn`: sums grow with the square root of the fan-in.
  case unit
  /// `0.01 * randn`, the small random numbers of CS231n: sums start near zero.
  case small

  /// Scales freshly drawn weights of a layer with `fanIn` inputs.
  func scale(_ W: inout Matrix, fanIn: Int) {
    switch self {
    case .fanIn:
      let scale = Double(fanIn).squareRoot()
      for i in 0..<W.storage.count { W.storage[i] /= scale }
    case .unit:
      break
    case .small:
      for i in 0..<W.storage.count { W.storage[i] *= 0.01 }
    }
  }
}
