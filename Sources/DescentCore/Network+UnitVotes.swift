extension Network {
  /// What first-layer hidden unit `j` adds to the vote at each point (x, y): its activation
  /// `a1_j = act(x·W1[0,j] + y·W1[1,j] + b1_j)` times its output weights `W2[j,k]`, less the
  /// mean over the classes (only differences between classes count). Gives, per point, the class
  /// the unit pushes toward and by how much; summed over the units (with `b2`) the contributions
  /// are the scores `z2` the softmax turns into the boundary. Needs two inputs.
  public func unitVotes(unit j: Int, at points: [(x: Double, y: Double)]) -> [(class: Int, strength: Double)] {
    precondition(inputs == 2 && layers.count >= 2, "unit votes are for a two-input network with a hidden layer")
    let first = layers[0]
    let next = layers[1]
    let K = next.W.cols
    return points.map { point in
      let a = activation.apply(point.x * first.W[0, j] + point.y * first.W[1, j] + first.b[j])
      var mean = 0.0
      for k in 0..<K { mean += a * next.W[j, k] / Double(K) }
      var best = (class: 0, strength: -Double.infinity)
      for k in 0..<K where a * next.W[j, k] - mean > best.strength { best = (k, a * next.W[j, k] - mean) }
      return best
    }
  }
}
