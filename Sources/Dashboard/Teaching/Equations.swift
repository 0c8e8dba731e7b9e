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

  /// The lines for `network` trained on `count` points with `training`'s λ and gradient scale.
  static func lines(_ network: Network, count N: Int, training: TrainingConfig, glyphs g: MathGlyphs) -> [Line] {
    let sizes = network.sizes
    let L = network.layers.count
    let f = network.activation.rawValue
    var lines: [Line] = [Line(equation: "Forward propagation", heading: true)]
    lines.append(Line(equation: "X \(g.element) \(g.space(N, sizes[0]))", note: "one row per point"))
    for l in 0..<L {
      let input = l == 0 ? "X" : "a\(l)"
      lines.append(
        Line(
          equation: "z\(l + 1) = \(input)\(g.dot)W\(l + 1) + b\(l + 1)",
          note:
            "W\(l + 1) \(g.element) \(g.space(sizes[l], sizes[l + 1])), b\(l + 1) \(g.element) \(g.space(1, sizes[l + 1]))"
        ))
      if l < L - 1 {
        lines.append(
          Line(equation: "a\(l + 1) = \(f)(z\(l + 1))", note: "a\(l + 1) \(g.element) \(g.space(N, sizes[l + 1]))"))
      }
    }
    lines.append(
      Line(
        equation: "\(g.hat) = softmax(z\(L))",
        note: "\(g.hat)_ik = exp(z\(L)_ik) / \(g.sum)_j exp(z\(L)_ij)"))
    let summed = training.gradient == .sum
    lines.append(
      Line(
        equation: "L = \(g.minus)(1/N) \(g.sum)_i log \(g.hat)_{i,y_i} + (\(g.lambda)/2N) \(g.sum) |W|\(g.squared)",
        note: "N = \(N), \(g.lambda) = \(training.lambda.formatted())"))
    lines.append(Line(equation: "Backpropagation", heading: true))
    let gradientNote = summed ? "of N\(g.dot)L, the post's summed loss" : "of L (the mean gradient)"
    lines.append(
      Line(
        equation: "delta\(L + 1) = \(g.hat) \(g.minus) Y",
        note: "Y one-hot: 1 in column y_i; \(g.partial)/\(g.partial)z\(L) \(gradientNote)"))
    for l in stride(from: L - 1, through: 0, by: -1) {
      let input = l == 0 ? "X" : "a\(l)"
      let delta = "delta\(l + 2)"
      lines.append(
        Line(
          equation:
            "\(g.partial)L/\(g.partial)W\(l + 1) = \(input)\(g.transpose)\(g.dot)\(delta) + \(g.lambda)W\(l + 1)",
          note:
            "\(g.shape(sizes[l], N))\(g.dot)\(g.shape(N, sizes[l + 1])) \(g.arrow) \(g.shape(sizes[l], sizes[l + 1]))"))
      lines.append(
        Line(
          equation: "\(g.partial)L/\(g.partial)b\(l + 1) = \(g.sum)_rows \(delta)",
          note: "\(g.element) \(g.space(1, sizes[l + 1]))"))
      if l > 0 {
        lines.append(
          Line(
            equation: "delta\(l + 1) = \(delta)\(g.dot)W\(l + 1)\(g.transpose) \(g.hadamard) \(f)'(z\(l))",
            note: "\(f)'(z\(l)) = \(derivative(network.activation, "a\(l)", g))"))
      }
    }
    lines.append(Line(equation: "The activation's derivative", heading: true))
    lines.append(
      Line(
        equation: "\(f)'(z) = \(derivative(network.activation, "a", g))",
        note: derivativeNote(network.activation, g)))
    if L >= 3 {
      lines.append(Line(equation: "The chain rule, written out", heading: true))
      // ∂L/∂W1 = Xᵀ·[(…((ŷ − Y)·W_Lᵀ ∘ f'(z_{L-1}))·…)·W2ᵀ ∘ f'(z1)]
      var inner = "(\(g.hat) \(g.minus) Y)"
      for l in stride(from: L - 1, through: 1, by: -1) {
        inner = "(\(inner)\(g.dot)W\(l + 1)\(g.transpose) \(g.hadamard) \(f)'(z\(l)))"
      }
      lines.append(Line(equation: "\(g.partial)L/\(g.partial)W1 = X\(g.transpose)\(g.dot)\(inner)", note: ""))
      var chain = "\(g.partial)L/\(g.partial)z\(L)"
      for l in stride(from: L - 1, through: 1, by: -1) {
        chain += "\(g.dot)\(g.partial)z\(l + 1)/\(g.partial)a\(l)\(g.dot)\(g.partial)a\(l)/\(g.partial)z\(l)"
      }
      lines.append(
        Line(
          equation: "\(g.partial)L/\(g.partial)z1 = \(chain)",
          note: "\(g.partial)z(k+1)/\(g.partial)a(k) = W(k+1)\(g.transpose), \(g.partial)a/\(g.partial)z = \(f)'"))
    }
    return lines
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
