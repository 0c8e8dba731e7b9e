import DescentCore

/// The code view: the post's training loop, the line about to run marked, and under it what that
/// line does to the arrays (their shapes) and to one point's row (its numbers before and after).
/// Every number is the core's (`StepTrace`); stepping past the last line takes the real step.
struct CodeView: Widget {
  var trace: StepTrace
  var code: PostCode
  /// The statement about to run (comments are not counted).
  var line: Int
  /// The training point whose row is followed.
  var row: Int
  var iteration: Int
  var theme: Theme
  var glyphs = MathGlyphs.unicode
  /// Whether the step before this one, walked through here, gave the trainer's parameters.
  var verified: Bool?
  /// A note under the title (a minibatch run shown on the full batch).
  var note: String?

  func render(into buffer: inout CellBuffer, _ rect: Rect) {
    let f = trace.forward
    let k = f.index(of: row) ?? 0
    let label = f.targets.map { "y = " + ArrayText.number($0[k], 3) } ?? "class \(f.y[k])"
    buffer.box(
      rect, title: "the post's training loop · iteration \(iteration.formatted()) · point \(row) (\(label))",
      border: theme.borderStyle, titleStyle: theme.titleStyle)
    let inner = Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)
    guard inner.width > 10, inner.height > 4 else { return }
    let statements = code.statements
    let current = statements[min(line, statements.count - 1)]
    let currentIndex = code.lines.firstIndex(of: current) ?? 0
    let detail = details(current.op, width: inner.width)
    // The code on top (a window around the current line when it does not all fit), the details under it.
    let codeRows = min(code.lines.count, max(5, inner.height - max(detail.count, 8) - 1))
    let first = max(0, min(currentIndex - codeRows / 2, code.lines.count - codeRows))
    // The shapes beside each line when they fit after the longest line (at 110 columns for the post's).
    let codeWidth = code.lines.map(\.text.count).max() ?? 0
    let shapes = inner.width >= max(110, codeWidth + 44)
    for k in 0..<codeRows {
      let index = first + k
      let text = code.lines[index].text
      let here = index == currentIndex
      let style =
        here
        ? Style(fg: theme.focus, bg: theme.background, bold: true)
        : code.lines[index].op == .comment ? theme.dimStyle : theme.textStyle
      buffer.put(here ? glyphs.cursor : " ", x: inner.x, y: inner.y + k, style)
      let column = max(68, codeWidth + 4)
      buffer.put(text, x: inner.x + 2, y: inner.y + k, style, limit: shapes ? column - 4 : inner.width - 2)
      if shapes && code.lines[index].op != .comment {
        buffer.put(
          self.shapes(code.lines[index].op), x: inner.x + column, y: inner.y + k, theme.dimStyle,
          limit: inner.width - column)
      }
    }
    var y0 = inner.y + codeRows
    if let note, y0 < inner.maxY {
      buffer.put(note, x: inner.x, y: y0, theme.dimStyle, limit: inner.width)
      y0 += 1
    }
    buffer.put(
      String(repeating: "─", count: inner.width), x: inner.x, y: y0, theme.borderStyle, limit: inner.width)
    let hint = " s next line · k back · tab next point · c close "
    if inner.width > hint.count + 4 {
      buffer.put(hint, x: inner.maxX - hint.count, y: y0, theme.dimStyle)
    }
    for (k, text) in detail.enumerated() where y0 + 1 + k < inner.maxY {
      buffer.put(text, x: inner.x, y: y0 + 1 + k, k == 0 ? theme.titleStyle : theme.textStyle, limit: inner.width)
    }
  }

  /// What layer `l` reads: `X`, or the hidden layer before it (after its dropout mask).
  func inputName(_ l: Int) -> String { l == 0 ? "X" : code.shape.dropout ? "a\(l)_drop" : "a\(l)" }

  /// The arrays a line touches, with their shapes.
  func shapes(_ op: PostCode.Op) -> String {
    let N = trace.forward.count
    let sizes = trace.network.sizes
    let L = trace.network.layers.count
    let g = glyphs
    func s(_ r: Int, _ c: Int) -> String { g.shape(r, c) }
    func parameter(_ l: Int, _ weights: Bool) -> String {
      weights ? "W\(l + 1) \(s(sizes[l], sizes[l + 1]))" : "b\(l + 1) \(s(1, sizes[l + 1]))"
    }
    switch op {
    case .comment: return ""
    case .linear(let l):
      return
        "\(inputName(l)) \(s(N, sizes[l])) \(g.dot) W\(l + 1) \(s(sizes[l], sizes[l + 1])) + b\(l + 1) \(s(1, sizes[l + 1])) \(g.arrow) \(s(N, sizes[l + 1]))"
    case .activate(let l): return "z\(l + 1) \(s(N, sizes[l + 1])) \(g.arrow) a\(l + 1) \(s(N, sizes[l + 1]))"
    case .dropoutMask(let l): return "mask\(l + 1) \(s(N, sizes[l + 1])): 0 or 1/(1 - p)"
    case .dropoutApply(let l):
      return "a\(l + 1) \(g.hadamard) mask\(l + 1) \(s(N, sizes[l + 1])) \(g.arrow) a\(l + 1)_drop"
    case .expScores: return "z\(L) \(s(N, sizes[L])) \(g.arrow) exp_scores \(s(N, sizes[L]))"
    case .probs: return "exp_scores \(s(N, sizes[L])) / row sums \(s(N, 1)) \(g.arrow) probs \(s(N, sizes[L]))"
    case .prediction: return "yhat \(s(N, 1)): the linear output, no softmax"
    case .regressionDelta: return "yhat \(s(N, 1)) \(g.minus) y \(s(N, 1)) \(g.arrow) delta\(L + 1)"
    case .deltaFromProbs: return "delta\(L + 1) \(s(N, sizes[L])) (the same array as probs)"
    case .subtractOne: return "delta\(L + 1) \(s(N, sizes[L])): one entry a row, column y"
    case .weightGradient(let l):
      return
        "\(inputName(l))\(g.transpose) \(s(sizes[l], N)) \(g.dot) delta\(l + 2) \(s(N, sizes[l + 1])) \(g.arrow) dW\(l + 1) \(s(sizes[l], sizes[l + 1]))"
    case .biasGradient(let l):
      return "delta\(l + 2) \(s(N, sizes[l + 1])) summed over rows \(g.arrow) db\(l + 1) \(s(1, sizes[l + 1]))"
    case .backDelta(let l):
      return
        "delta\(l + 3) \(s(N, sizes[l + 2])) \(g.dot) W\(l + 2)\(g.transpose) \(s(sizes[l + 2], sizes[l + 1])) \(g.hadamard) a\(l + 1) \(s(N, sizes[l + 1])) \(g.arrow) delta\(l + 2)"
    case .regularize(let l): return "dW\(l + 1), W\(l + 1) \(s(sizes[l], sizes[l + 1]))"
    case .meanScale: return "a number: 1 / \(N)"
    case .scaleBias(let l): return "db\(l + 1) \(s(1, sizes[l + 1]))"
    case .annealedRate, .adamStep: return "a number"
    case .remember(let l, let weights), .velocity(let l, let weights), .firstMoment(let l, let weights),
      .secondMoment(let l, let weights):
      return "one per parameter of " + parameter(l, weights)
    case .updateWeights(let l): return parameter(l, true)
    case .updateBiases(let l): return parameter(l, false)
    }
  }

  /// What the line does: its shapes, then the followed point's numbers before and after (or the
  /// whole array when it is not one row a point).
  func details(_ op: PostCode.Op, width: Int) -> [String] {
    let f = trace.forward
    let r = row
    let k = f.index(of: row) ?? 0
    let L = trace.network.layers.count
    let g = glyphs
    let w = max(20, width - 22)
    func vector(_ m: Matrix) -> String { ArrayText.row(m, k, digits: 6, width: w) }
    func values(_ v: [Double]) -> String { ArrayText.row(v, digits: 6, width: w) }
    func matrix(_ name: String, _ m: Matrix) -> [String] {
      let lines = ArrayText.matrix(m, width: width - name.count - 3, glyphs: g)
      return lines.enumerated().map { k, line in
        (k == 0 ? "\(name) = " : String(repeating: " ", count: name.count + 3)) + line
      }
    }
    /// A parameter's slot in the optimizer's memory, as a matrix of the parameter's shape.
    func memory(_ state: OptimizerState?, _ second: Bool, _ l: Int, _ weights: Bool) -> Matrix {
      let layer = trace.network.layers[l]
      let (rows, cols) = weights ? (layer.W.rows, layer.W.cols) : (1, layer.b.count)
      let slot = 2 * l + (weights ? 0 : 1)
      let stored = state.map { second ? $0.s : $0.v }
      let values = stored.flatMap { slot < $0.count ? $0[slot] : nil } ?? [Double](repeating: 0, count: rows * cols)
      return Matrix(rows: rows, cols: cols, storage: values)
    }
    func parameterName(_ l: Int, _ weights: Bool) -> String { "\(weights ? "W" : "b")\(l + 1)" }
    var out = [shapes(op)]
    switch op {
    case .comment:
      break
    case .linear(let l):
      let input = l == 0 ? (0..<f.X.cols).map { f.X[k, $0] } : f.dropped(l - 1, k)
      out.append("\(inputName(l))[\(r)]".padded(16) + ArrayText.row(input, digits: 6, width: w))
      out.append("z\(l + 1)[\(r)]".padded(16) + vector(f.z[l]))
      out += matrix("W\(l + 1)", trace.network.layers[l].W)
      out.append("b\(l + 1) = " + ArrayText.row(trace.network.layers[l].b, width: width - 6))
    case .activate(let l):
      out.append("z\(l + 1)[\(r)]".padded(16) + vector(f.z[l]))
      out.append("a\(l + 1)[\(r)]".padded(16) + vector(f.a[l]))
      out.append("\(trace.network.activation.rawValue) squashes each score; a\(l + 1) is what the next layer sees")
    case .dropoutMask(let l):
      out.append("mask\(l + 1)[\(r)]".padded(16) + vector(f.masks[l]))
      out.append("each unit kept with probability 1 \(g.minus) p = \((1 - trace.config.dropout).formatted()),")
      out.append("drawn after the step's batch, from the generator that orders the batches")
    case .dropoutApply(let l):
      out.append("a\(l + 1)[\(r)]".padded(16) + vector(f.a[l]))
      out.append("a\(l + 1)_drop[\(r)]".padded(16) + values(f.dropped(l, k)))
      out.append("dropped units read 0; the kept ones are scaled up so the mean stays")
    case .expScores:
      out.append("z\(L)[\(r)]".padded(16) + vector(f.z[L - 1]))
      out.append("exp_scores[\(r)]".padded(16) + vector(f.expScores))
      out.append("exp makes every score positive: larger score, larger share")
    case .probs:
      let sum = (0..<f.expScores.cols).reduce(0.0) { $0 + f.expScores[k, $1] }
      out.append("exp_scores[\(r)]".padded(16) + vector(f.expScores))
      out.append("row sum".padded(16) + ArrayText.number(sum, 6))
      out.append("probs[\(r)]".padded(16) + vector(f.probs))
      out.append("each row sums to 1: the network's probability of each class")
    case .prediction:
      out.append("yhat[\(r)]".padded(16) + vector(f.probs))
      out.append("regression: one linear output unit, the predicted number")
    case .regressionDelta:
      let target = f.targets?[k] ?? 0
      out.append("yhat[\(r)]".padded(16) + vector(f.probs))
      out.append("y[\(r)]".padded(16) + ArrayText.number(target, 6))
      out.append("delta\(L + 1)[\(r)]".padded(16) + vector(trace.deltas[L - 1]))
      out.append("the squared loss 1/2 (yhat \(g.minus) y)\(g.squared) has derivative yhat \(g.minus) y")
    case .deltaFromProbs:
      out.append("probs[\(r)]".padded(16) + vector(f.probs))
      out.append("delta\(L + 1)[\(r)]".padded(16) + vector(f.probs))
      out.append("no copy: delta\(L + 1) and probs are one array, changed in place next")
    case .subtractOne:
      let y = f.y[k]
      out.append("y[\(r)] = \(y)".padded(16) + "the true class: subtract 1 in column \(y) only")
      out.append("before".padded(16) + vector(f.probs))
      out.append("after".padded(16) + vector(trace.deltas[L - 1]))
      out.append("delta = probs \(g.minus) one-hot(y): column y gets p \(g.minus) 1 (< 0), the others")
      out.append("keep p: the loss falls by raising p(y) and lowering the rest")
    case .weightGradient(let l):
      let term = trace.rowTerms(r)[l]
      out += matrix("point \(r)'s term", term.W)
      out += matrix("dW\(l + 1) (\(f.count) terms)", trace.dataGradients[l].W)
    case .biasGradient(let l):
      out.append("delta\(l + 2)[\(r)]".padded(16) + vector(trace.deltas[l]))
      out.append("db\(l + 1) = " + ArrayText.row(trace.dataGradients[l].b, width: width - 7))
    case .backDelta(let l):
      out.append("delta\(l + 3)[\(r)]".padded(16) + vector(trace.deltas[l + 1]))
      out.append("a\(l + 1)[\(r)]".padded(16) + vector(f.a[l]))
      out.append(
        "f'".padded(16)
          + values((0..<f.a[l].cols).map { trace.network.activation.derivative(output: f.a[l][k, $0]) }))
      if !f.masks.isEmpty { out.append("mask\(l + 1)[\(r)]".padded(16) + vector(f.masks[l])) }
      out.append("delta\(l + 2)[\(r)]".padded(16) + vector(trace.deltas[l]))
    case .regularize(let l):
      let term = trace.config.regularization == .l1 ? "reg_lambda * sign(W\(l + 1))" : "reg_lambda * W\(l + 1)"
      out += matrix(term, trace.regularization[l])
      out += matrix("dW\(l + 1) before", trace.dataGradients[l].W)
      out += matrix("dW\(l + 1) after", trace.gradients[l].W)
    case .meanScale:
      out.append("scale = \(ArrayText.number(trace.scale, 8))")
    case .scaleBias(let l):
      out.append("db\(l + 1) before = " + ArrayText.row(trace.dataGradients[l].b, width: width - 14))
      out.append("db\(l + 1) after  = " + ArrayText.row(trace.gradients[l].b, width: width - 14))
    case .annealedRate:
      out.append("epsilon_t = \(ArrayText.number(trace.epsilon, 8))")
    case .adamStep:
      out.append("t = \(trace.memoryAfter?.t ?? 1): the steps since Adam's memory started")
    case .remember(let l, let weights):
      out += matrix("v\(parameterName(l, weights))_prev", memory(trace.memoryBefore, false, l, weights))
    case .velocity(let l, let weights), .firstMoment(let l, let weights):
      let name = (trace.config.optimizer.kind == .adam ? "m" : "v") + parameterName(l, weights)
      out += matrix("\(name) before", memory(trace.memoryBefore, false, l, weights))
      out += matrix("\(name) after", memory(trace.memoryAfter, false, l, weights))
    case .secondMoment(let l, let weights):
      out += matrix("s\(parameterName(l, weights)) before", memory(trace.memoryBefore, true, l, weights))
      out += matrix("s\(parameterName(l, weights)) after", memory(trace.memoryAfter, true, l, weights))
    case .updateWeights(let l):
      out += matrix("W\(l + 1) before", trace.network.layers[l].W)
      out += matrix("W\(l + 1) after", trace.updated.layers[l].W)
    case .updateBiases(let l):
      out.append("b\(l + 1) before = " + ArrayText.row(trace.network.layers[l].b, width: width - 12))
      out.append("b\(l + 1) after  = " + ArrayText.row(trace.updated.layers[l].b, width: width - 12))
      if l == L - 1 {
        out.append("next: s takes this step for real")
        if verified == true { out.append("the last step walked through = the trainer's, to the bit") }
      }
    }
    if verified == false { out.append("the trainer's last step differed from the traced one (minibatch or edits)") }
    return out
  }
}

extension String {
  /// Padded with spaces to `width` characters.
  func padded(_ width: Int) -> String {
    count >= width ? self + " " : self + String(repeating: " ", count: width - count)
  }
}
