import DescentCore

/// The forward and backward equations of a network, written out for its depth and activation
/// with each matrix's shape, in the post's names (`z1`, `a1`, `delta3`, `W1`).
enum Equations {
  /// One line of the math view: the equation, and what it is about (a shape or a remark).
  struct Line: Equatable {
    var equation: String
    var note = ""
    var heading = false
  }

  /// The lines for `network` trained on `count` points with `training`'s λ and gradient scale,
  /// penalty, optimizer and dropout.
  static func lines(_ network: Network, count N: Int, training: TrainingConfig, glyphs g: MathGlyphs) -> [Line] {
    let sizes = network.sizes
    let L = network.layers.count
    let f = network.activation.rawValue
    let regression = network.task == .regression
    let dropout = training.dropout > 0
    let l1 = training.regularization == .l1
    var lines: [Line] = [Line(equation: "Forward propagation", heading: true)]
    lines.append(
      Line(
        equation: "X \(g.element) \(g.space(N, sizes[0]))",
        note: network.features.isRaw ? "one row per point" : "each point's features \(network.features.description)"))
    for l in 0..<L {
      let input = l == 0 ? "X" : dropout ? "(a\(l) \(g.hadamard) m\(l))" : "a\(l)"
      lines.append(
        Line(
          equation: "z\(l + 1) = \(input)\(g.dot)W\(l + 1) + b\(l + 1)",
          note:
            "W\(l + 1) \(g.element) \(g.space(sizes[l], sizes[l + 1])), b\(l + 1) \(g.element) \(g.space(1, sizes[l + 1]))"
        ))
      if l < L - 1 {
        lines.append(
          Line(equation: "a\(l + 1) = \(f)(z\(l + 1))", note: "a\(l + 1) \(g.element) \(g.space(N, sizes[l + 1]))"))
        if dropout {
          lines.append(
            Line(
              equation: "m\(l + 1) = 1[u \(g.geq) p] / (1 \(g.minus) p)",
              note: "u uniform, p = \(training.dropout.formatted()); training steps only"))
        }
      }
    }
    let penalty = l1 ? "\(g.lambda) \(g.sum) |W|" : "(\(g.lambda)/2) \(g.sum) |W|\(g.squared)"
    // What the gradients are of: the post's summed gradient is that of N·L; the mean gradient
    // divides the data term by N but not the penalty's, so it is that of J, written out below L.
    let summed = training.gradient == .sum
    let objective = summed ? "(N\(g.dot)L)" : "J"
    let mean = summed ? "" : "(1/N) "
    let dataLoss =
      regression
      ? "\(g.sum)_i \(g.half)(\(g.hat)_i \(g.minus) y_i)\(g.squared)" : "\(g.minus)\(g.sum)_i log \(g.hat)_{i,y_i}"
    lines.append(
      regression
        ? Line(equation: "\(g.hat) = z\(L)", note: "one linear output: the predicted number")
        : Line(equation: "\(g.hat) = softmax(z\(L))", note: "\(g.hat)_ik = exp(z\(L)_ik) / \(g.sum)_j exp(z\(L)_ij)"))
    lines.append(
      Line(
        equation: "L = (1/N) (\(dataLoss) + \(penalty))", note: "N = \(N), \(g.lambda) = \(training.lambda.formatted())"
      ))
    if !summed {
      lines.append(Line(equation: "J = (1/N) (\(dataLoss)) + \(penalty)", note: "what the mean gradient descends"))
    }
    lines.append(Line(equation: "Backpropagation", heading: true))
    let deltaNote = "\(g.partial)/\(g.partial)z\(L) of \(dataLoss)"
    lines.append(
      regression
        ? Line(equation: "delta\(L + 1) = \(g.hat) \(g.minus) y", note: deltaNote)
        : Line(equation: "delta\(L + 1) = \(g.hat) \(g.minus) Y", note: "Y one-hot (1 in column y_i); \(deltaNote)"))
    let penaltyGradient = l1 ? "\(g.lambda) sign(W" : "\(g.lambda) W"
    for l in stride(from: L - 1, through: 0, by: -1) {
      let input = l == 0 ? "X" : dropout ? "(a\(l) \(g.hadamard) m\(l))" : "a\(l)"
      let delta = "delta\(l + 2)"
      lines.append(
        Line(
          equation:
            "\(g.partial)\(objective)/\(g.partial)W\(l + 1) = \(mean)\(input)\(g.transpose)\(g.dot)\(delta) + \(penaltyGradient)\(l + 1)\(l1 ? ")" : "")",
          note:
            "\(g.shape(sizes[l], N))\(g.dot)\(g.shape(N, sizes[l + 1])) \(g.arrow) \(g.shape(sizes[l], sizes[l + 1]))"))
      lines.append(
        Line(
          equation: "\(g.partial)\(objective)/\(g.partial)b\(l + 1) = \(mean)\(g.sum)_rows \(delta)",
          note: "\(g.element) \(g.space(1, sizes[l + 1]))"))
      if l > 0 {
        lines.append(
          Line(
            equation:
              "delta\(l + 1) = \(delta)\(g.dot)W\(l + 1)\(g.transpose) \(g.hadamard) \(f)'(z\(l))\(dropout ? " \(g.hadamard) m\(l)" : "")",
            note: "\(f)'(z\(l)) = \(derivative(network.activation, "a\(l)", g))"))
      }
    }
    if l1 { lines.append(Line(equation: "sign(0) = 0", note: "L1: the biases are not penalized")) }
    lines.append(Line(equation: "The update", heading: true))
    lines += update(training, glyphs: g)
    lines.append(Line(equation: "The activation's derivative", heading: true))
    lines.append(
      Line(
        equation: "\(f)'(z) = \(derivative(network.activation, "a", g))",
        note: derivativeNote(network.activation, g)))
    if L >= 3 {
      lines.append(Line(equation: "The chain rule, written out", heading: true))
      // ∂(N·L)/∂W1 = Xᵀ·[(…((ŷ − Y)·W_Lᵀ ∘ f'(z_{L-1}))·…)·W2ᵀ ∘ f'(z1)], the data term
      var inner = "(\(g.hat) \(g.minus) \(regression ? "y" : "Y"))"
      for l in stride(from: L - 1, through: 1, by: -1) {
        inner = "(\(inner)\(g.dot)W\(l + 1)\(g.transpose) \(g.hadamard) \(f)'(z\(l)))"
      }
      lines.append(
        Line(
          equation: "\(g.partial)\(objective)/\(g.partial)W1 = \(mean)X\(g.transpose)\(g.dot)\(inner)",
          note: "the data term"))
      var chain = "\(g.partial)\(objective)/\(g.partial)z\(L)"
      for l in stride(from: L - 1, through: 1, by: -1) {
        chain += "\(g.dot)\(g.partial)z\(l + 1)/\(g.partial)a\(l)\(g.dot)\(g.partial)a\(l)/\(g.partial)z\(l)"
      }
      lines.append(
        Line(
          equation: "\(g.partial)\(objective)/\(g.partial)z1 = \(chain)",
          note: "\(g.partial)z(k+1)/\(g.partial)a(k) = W(k+1)\(g.transpose), \(g.partial)a/\(g.partial)z = \(f)'"))
    }
    return lines
  }

  /// The optimizer's rule for each parameter θ with gradient g at the rate ε_t.
  static func update(_ training: TrainingConfig, glyphs g: MathGlyphs) -> [Line] {
    let rate = training.anneal != 0 ? "\(g.epsilon)_t" : g.epsilon
    let annealing =
      training.anneal != 0
      ? [Line(equation: "\(g.epsilon)_t = \(g.epsilon) / (1 + k t)", note: "k = \(training.anneal.formatted())")] : []
    let o = training.optimizer
    let rule: [Line]
    switch o.kind {
    case .gd:
      rule = [
        Line(equation: "\(g.theta) \(g.larrow) \(g.theta) \(g.minus) \(rate) g", note: "the post's gradient descent")
      ]
    case .momentum:
      rule = [
        Line(
          equation: "v \(g.larrow) \(g.mu) v \(g.minus) \(rate) g",
          note: "momentum, \(g.mu) = \(o.momentum.formatted())"
        ),
        Line(equation: "\(g.theta) \(g.larrow) \(g.theta) + v", note: "v starts at 0"),
      ]
    case .nesterov:
      rule = [
        Line(
          equation: "v' \(g.larrow) \(g.mu) v \(g.minus) \(rate) g",
          note: "Nesterov, \(g.mu) = \(o.momentum.formatted())"),
        Line(
          equation: "\(g.theta) \(g.larrow) \(g.theta) \(g.minus) \(g.mu) v + (1 + \(g.mu)) v'", note: "then v = v'"),
      ]
    case .adam:
      rule = [
        Line(
          equation: "m \(g.larrow) \(g.beta)1 m + (1 \(g.minus) \(g.beta)1) g",
          note: "\(g.beta)1 = \(o.beta1.formatted()), \(g.beta)2 = \(o.beta2.formatted())"),
        Line(
          equation: "s \(g.larrow) \(g.beta)2 s + (1 \(g.minus) \(g.beta)2) g\(g.squared)",
          note: "t counts steps from 1"),
        Line(
          equation:
            "\(g.theta) \(g.larrow) \(g.theta) \(g.minus) \(rate) (m/(1\(g.minus)\(g.beta)1^t)) / (sqrt(s/(1\(g.minus)\(g.beta)2^t)) + eps)",
          note: "eps = \(o.epsilon.formatted())"),
      ]
    }
    return annealing + rule
  }

  /// `f'` in terms of the layer's output `a`: tanh 1 − a², sigmoid a(1 − a), ReLU 1[z > 0].
  static func derivative(_ f: Activation, _ a: String, _ g: MathGlyphs) -> String {
    switch f {
    case .tanh: return "1 \(g.minus) \(a)\(g.squared)"
    case .sigmoid: return "\(a)(1 \(g.minus) \(a))"
    case .relu: return "1[\(a) > 0]"
    }
  }

  /// Why the derivative is written with `a`, not `z` (the post's typo thread).
  static func derivativeNote(_ f: Activation, _ g: MathGlyphs) -> String {
    switch f {
    case .tanh: return "1 \(g.minus) tanh\(g.squared)(z), and a = tanh(z): a, not z"
    case .sigmoid: return "\(g.minus)e^-z/(1+e^-z)\(g.squared) = a(1 \(g.minus) a)"
    case .relu: return "1 where z > 0 (there a > 0), else 0"
    }
  }
}
