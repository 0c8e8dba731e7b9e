import DescentKernels
import Foundation

// The post's training step, layer by layer: forward propagation (z1 = X·W1 + b1, a1 = tanh(z1),
// z2 = a1·W2 + b2, probs = softmax(z2)), backpropagation (delta3 = probs − y, dW2 = a1ᵀ·delta3,
// delta2 = delta3·W2ᵀ ∘ (1 − a1²), dW1 = Xᵀ·delta2) and the update. The buffers are a Workspace's;
// the post's own shape also has a one-pass kernel (DescentKernels/OneHiddenLayer.swift) that
// gives these same bits.

extension Network {
  /// The post's update after a gradient: `dW += reg_lambda * W; W += -epsilon * dW` (and
  /// `b += -epsilon * db`), the data term of `dW` and `db` multiplied by `scale` first (1 for the
  /// summed loss, 1/m for the mean). One mutating call a step, so the trainer makes one access to
  /// its network, not one per layer. Returns whether every parameter is still finite.
  mutating func descend(
    gradW: [UnsafeMutablePointer<Double>], gradB: [UnsafeMutablePointer<Double>], scale: Double, lambda: Double,
    epsilon: Double
  ) -> Bool {
    let step = -epsilon
    // The squared weights' sum is what the loss adds: it must stay finite too (1e200 is a finite
    // weight, but not its square). Summing it costs what the plain finiteness check did.
    var check = 0.0
    for l in layers.indices {
      let (dW, db) = (gradW[l], gradB[l])
      layers[l].W.storage.withUnsafeMutableBufferPointer { W in
        for i in W.indices {
          let g = dW[i] * scale + lambda * W[i]
          W[i] += step * g
          check += W[i] * W[i]  // finite while the weights and their squares are
        }
      }
      layers[l].b.withUnsafeMutableBufferPointer { b in
        for j in b.indices {
          b[j] += step * (db[j] * scale)
          check += b[j] * 0  // 0 while finite, NaN once a bias is not
        }
      }
    }
    return check.isFinite
  }

  /// Whether the one-pass kernel trains this network: one hidden layer of tanh or sigmoid units,
  /// at most four inputs and classes (or one regression output), and at most 16 hidden units (the
  /// post's is 2, 3, 2).
  var trainsInOnePass: Bool {
    // Asked every step: read the shapes without building `sizes` (an array a step).
    layers.count == 2 && activation != .relu && layers[0].W.rows <= oneHiddenLayerWidth
      && layers[0].W.cols <= oneHiddenLayerUnits && layers[1].W.cols <= oneHiddenLayerWidth
  }

  /// The gradient of the summed cross-entropy over `m` rows from `offset` (the data term) into
  /// `workspace.gradW` and `gradB`, and each row's probability of its own class into
  /// `probabilities` when given (for the loss curve, worked out every step; the printed loss is
  /// `calculate_loss`'s). In one pass when `columns` holds the same rows by column and the network
  /// is one the kernel trains; else `forward` then `backward`. Both give the same numbers to the
  /// last bit.
  /// `targets` are a regression network's; `dropout` the step's masks from this block's first row.
  /// With `twoThreads`, a pass large enough to gain goes layer by layer with its rows shared out
  /// between two threads (`gradientsOnTwoThreads`), to the same bits.
  func gradients(
    _ X: UnsafePointer<Double>, labels y: [Int], offset: Int, rows m: Int, columns: ColumnData?, in ws: Workspace,
    probabilities: UnsafeMutablePointer<Double>?, kernels: KernelSet = .chosen, targets: [Double]? = nil,
    dropout: DropoutRows? = nil, misreading: Misreading = .none, twoThreads: Bool = false
  ) {
    guard let rows = columns?.rows(from: offset, count: m), trainsInOnePass, misreading == .none else {
      if twoThreads && misreading == .none && gainsFromTwoThreads(rows: m) {
        if layers.count == 2 {
          gradientsByUnitsOnTwoThreads(
            X, labels: y, offset: offset, rows: m, in: ws, probabilities: probabilities, targets: targets,
            dropout: dropout)
          return
        }
        gradientsOnTwoThreads(
          X, labels: y, offset: offset, rows: m, in: ws, probabilities: probabilities, targets: targets,
          dropout: dropout)
        return
      }
      forward(X, rows: m, into: ws, dropout: dropout, misreading: misreading)
      if let probabilities {
        let (probs, K) = (ws.outputs[layers.count - 1], classes)
        for i in 0..<m { probabilities[i] = probs[i * K + y[offset + i]] }
      }
      if !backwardInOnePass(
        X, labels: y, offset: offset, rows: m, in: ws, targets: targets, dropout: dropout, misreading: misreading,
        kernels: kernels)
      {
        backward(
          X, labels: y, offset: offset, rows: m, in: ws, targets: targets, dropout: dropout, misreading: misreading)
      }
      return
    }
    layers[0].W.storage.withUnsafeBufferPointer { W1 in
      layers[0].b.withUnsafeBufferPointer { b1 in
        layers[1].W.storage.withUnsafeBufferPointer { W2 in
          layers[1].b.withUnsafeBufferPointer { b2 in
            Self.gradientsInOnePass(
              onePassShape, W1.baseAddress!, b1.baseAddress!, W2.baseAddress!, b2.baseAddress!, rows, in: ws,
              probabilities: probabilities, kernels: kernels, dropout: dropout, twoThreads: twoThreads)
          }
        }
      }
    }
  }

  /// `gradients` for a trainer's own network, which it may access mutably: the one-pass kernel
  /// reads the parameters through pointers, and around its opaque call a shared access retains and
  /// releases each of the four arrays, where a mutable one needs neither. Nothing is written to
  /// the parameters; arrays shared with a network handed out are copied first, as the update
  /// would copy them.
  mutating func gradientsOfOwnParameters(
    _ X: UnsafePointer<Double>, labels y: [Int], offset: Int, rows m: Int, columns: ColumnData?, in ws: Workspace,
    probabilities: UnsafeMutablePointer<Double>?, targets: [Double]?, dropout: DropoutRows?, misreading: Misreading,
    twoThreads: Bool
  ) {
    // The rows rather than `columns` bound (which retains it), as in `gradients`.
    guard let rows = columns?.rows(from: offset, count: m), trainsInOnePass, misreading == .none else {
      return gradients(
        X, labels: y, offset: offset, rows: m, columns: columns, in: ws, probabilities: probabilities,
        targets: targets, dropout: dropout, misreading: misreading, twoThreads: twoThreads)
    }
    let shape = onePassShape
    // One access to `layers` for all four arrays (its elements' own accesses would overlap).
    layers.withUnsafeMutableBufferPointer { layers in
      layers[0].W.storage.withUnsafeMutableBufferPointer { W1 in
        layers[0].b.withUnsafeMutableBufferPointer { b1 in
          layers[1].W.storage.withUnsafeMutableBufferPointer { W2 in
            layers[1].b.withUnsafeMutableBufferPointer { b2 in
              Self.gradientsInOnePass(
                shape, W1.baseAddress!, b1.baseAddress!, W2.baseAddress!, b2.baseAddress!, rows, in: ws,
                probabilities: probabilities, kernels: .chosen, dropout: dropout, twoThreads: twoThreads)
            }
          }
        }
      }
    }
  }

  /// Inputs, hidden units, classes, and whether the units are logistic and the output a
  /// regression's: the one-pass kernel's network but for its pointers.
  private var onePassShape: OnePassShape {
    (inputs, layers[0].W.cols, classes, activation == .sigmoid, task == .regression)
  }
  private typealias OnePassShape = (inputs: Int, hidden: Int, classes: Int, sigmoid: Bool, regression: Bool)

  /// The one-pass kernel's gradients over `rows` (`gradients`) of a network of `shape` with
  /// parameters `W1`, `b1`, `W2`, `b2`, into `ws`'s gradients.
  private static func gradientsInOnePass(
    _ shape: OnePassShape, _ W1: UnsafePointer<Double>, _ b1: UnsafePointer<Double>, _ W2: UnsafePointer<Double>,
    _ b2: UnsafePointer<Double>, _ rows: ColumnRows, in ws: Workspace, probabilities: UnsafeMutablePointer<Double>?,
    kernels: KernelSet, dropout: DropoutRows?, twoThreads: Bool
  ) {
    let net: OneHiddenLayerNetwork = (
      shape.inputs, shape.hidden, shape.classes, shape.sigmoid, shape.regression, W1, b1, W2, b2,
      ws.gradW[0], ws.gradB[0], ws.gradW[1], ws.gradB[1]
    )
    let bits = dropout?.bits()
    func onePass(awaitMask: (() -> Void)?) {
      kernels.oneHiddenLayer(net, rows, ws.onePass, probabilities == nil ? nil : ws.trueClass, bits, awaitMask)
    }
    if let dropout, twoThreads, dropout.source.drawsLeft >= DropoutMasks.drawsForASecondThread {
      // The draws on the second thread while this one makes the hidden layer (the kernel waits
      // for them before the masks): the same draws, in the same order, from the same generator.
      onTwoThreads { part in
        if part == 1 { dropout.source.makeDraws() } else { onePass(awaitMask: dropout.source.awaitDraws) }
      }
    } else {
      // Draws made before the step need no waiting for (`DropoutMasks.draw`).
      if let dropout, !dropout.source.drawsAreMade {
        onePass { dropout.source.awaitDraws() }
      } else {
        onePass(awaitMask: nil)
      }
    }
    if let probabilities, probabilities != ws.trueClass { probabilities.update(from: ws.trueClass, count: rows.count) }
  }

  /// Forward propagation over `m` rows starting at `X`: for each layer `z = a·W + b`, then
  /// `a = f(z)` for hidden layers (times the dropout mask, when given, with the slopes the backward
  /// pass reads in `workspace.slopes`) and `softmax(z)` for the output (`z` itself for
  /// regression), written into `workspace.outputs` from row `first` on. `scores` and
  /// `activations`, when given, receive each layer's `z` before its activation and each hidden
  /// layer's `a` before its mask (for `StepTrace`).
  func forward(
    _ X: UnsafePointer<Double>, rows m: Int, into workspace: Workspace, first: Int = 0, dropout: DropoutRows? = nil,
    misreading: Misreading = .none, scores: ((Int, UnsafePointer<Double>) -> Void)? = nil,
    activations: ((Int, UnsafePointer<Double>) -> Void)? = nil
  ) {
    if misreading == .derivativeOfZ { workspace.keepHiddenScores() }
    var input = X
    for l in layers.indices {
      let (k, n) = (layers[l].W.rows, layers[l].W.cols)
      let out = workspace.outputs[l] + first * n
      layers[l].W.storage.withUnsafeBufferPointer { W in
        matmul(input, W.baseAddress!, into: out, m: m, k: k, n: n)
      }
      let hidden = l < layers.count - 1
      let z = hidden && misreading == .derivativeOfZ ? workspace.hiddenScores[l] + first * n : nil
      if !hidden {
        layers[l].b.withUnsafeBufferPointer { addRowVector($0.baseAddress!, to: out, m: m, n: n) }
        scores?(l, out)
        if task == .classification { softmaxRows(out, m: m, n: n) }
      } else if scores == nil && z == nil && activations == nil {
        // No one reads z, or a before its mask: the bias, the activation and the mask in one pass
        // where there is one.
        layers[l].b.withUnsafeBufferPointer { b in
          guard let dropout else { return activation.applyInPlace(out, adding: b.baseAddress!, m: m, n: n) }
          let slopes = workspace.slopes[l] + first * n
          dropout.apply(layer: l, rows: m, to: out, slopes: slopes, activation: activation, adding: b.baseAddress!)
        }
      } else {
        layers[l].b.withUnsafeBufferPointer { addRowVector($0.baseAddress!, to: out, m: m, n: n) }
        scores?(l, out)
        z?.update(from: out, count: m * n)
        activation.applyInPlace(out, count: m * n)
        activations?(l, out)
        dropout?.apply(
          layer: l, rows: m, to: out, slopes: workspace.slopes[l] + first * n, activation: activation)
      }
      input = UnsafePointer(out)
    }
  }
}

extension Network {
  /// Backpropagation after `forward` on the same rows: fills `workspace.gradW` and `gradB` with the
  /// gradient of the summed cross-entropy, or of `½ Σ (ŷ - y)²` against `targets` (the data term;
  /// the caller adds the penalty's), through the same dropout masks as the forward pass.
  func backward(
    _ X: UnsafePointer<Double>, labels y: [Int], offset: Int = 0, rows m: Int, in ws: Workspace,
    targets: [Double]? = nil, dropout: DropoutRows? = nil, misreading: Misreading = .none
  ) {
    backpropagateDeltas(
      labels: y, offset: offset, rows: m, in: ws, targets: targets, dropout: dropout, misreading: misreading)
    sumGradients(X, rows: m, in: ws, layers: layers.indices)
  }

  /// `backward` for one hidden layer of tanh units (of any units with dropout) and at most four
  /// inputs and classes: delta3, then dW2, dW1 and db1 in one pass over the rows that makes delta2
  /// as it goes (`unitGradientsFromDelta3`, as the two threads by units do), and db2. The same
  /// bits as `backward`, without writing delta2 and reading it back three times (a large block's
  /// delta2 is past the first-level cache). Returns false, having done nothing, for any other
  /// network; delta2 is not kept (`StepTrace` reads it: it calls `backward`).
  func backwardInOnePass(
    _ X: UnsafePointer<Double>, labels y: [Int], offset: Int, rows m: Int, in ws: Workspace, targets: [Double]?,
    dropout: DropoutRows?, misreading: Misreading, kernels: KernelSet
  ) -> Bool {
    guard layers.count == 2, misreading == .none, makesDelta2InGradientPass(dropout: dropout != nil) else {
      return false
    }
    let (H, K) = (layers[0].W.cols, classes)
    outputDeltas(labels: y, offset: offset, rows: m, in: ws, targets: targets, misreading: misreading)
    layers[1].W.storage.withUnsafeBufferPointer { W2 in
      kernels.unitGradientsFromDelta3(
        ws.outputs[0], W2.baseAddress!, dropout == nil ? nil : ws.slopes[0], dropout?.kept ?? 1, H, m, X, inputs,
        ws.deltas[1], K, ws.gradW[1], ws.gradW[0], H, ws.gradB[0])
    }
    columnSums(ws.deltas[1], into: ws.gradB[1], m: m, n: K)
    return true
  }

  /// Whether one hidden layer's dW2, dW1 and db1 come from the pass that makes delta2
  /// (`unitGradientsFromDelta3`): tanh units, or any with dropout's slopes, and up to four inputs
  /// and classes.
  func makesDelta2InGradientPass(dropout: Bool) -> Bool {
    (activation == .tanh || dropout) && inputs <= 4 && classes <= 4
  }

  /// The output layer's delta (delta3 for the post's network) of rows `first ..< first + m`.
  func outputDeltas(
    labels y: [Int], offset: Int, rows m: Int, first: Int = 0, in ws: Workspace, targets: [Double]?,
    misreading: Misreading
  ) {
    let L = layers.count
    let K = classes
    let last = ws.deltas[L - 1] + first * K
    last.update(from: ws.outputs[L - 1] + first * K, count: m * K)
    if task == .regression, let targets {
      // delta3 = yhat - y
      for i in 0..<m { last[i] -= targets[offset + i] }
    } else if misreading == .wrongColumn {
      for i in 0..<m { last[i * K + (y[offset + i] + 1) % K] -= 1 }
    } else if misreading != .noSubtraction {
      // delta3 = probs; delta3[range(m), y] -= 1
      for i in 0..<m { last[i * K + y[offset + i]] -= 1 }
    }
  }

  /// The first half of backpropagation, row by row: each layer's `δ` into `ws.deltas` for the `m`
  /// rows from workspace row `first` (whose labels start at `offset`), from the outputs `forward`
  /// left there. `scratch` holds a weight matrix transposed (one per thread).
  func backpropagateDeltas(
    labels y: [Int], offset: Int = 0, rows m: Int, first: Int = 0, in ws: Workspace, targets: [Double]? = nil,
    dropout: DropoutRows? = nil, misreading: Misreading = .none, scratch: UnsafeMutablePointer<Double>? = nil
  ) {
    outputDeltas(labels: y, offset: offset, rows: m, first: first, in: ws, targets: targets, misreading: misreading)
    for l in stride(from: layers.count - 1, to: 0, by: -1) {
      let (fanIn, fanOut) = (layers[l].W.rows, layers[l].W.cols)
      let delta = UnsafePointer(ws.deltas[l] + first * fanOut)
      // δ_prev = δ·Wᵀ ∘ f'(a_prev), e.g. delta2 = delta3.dot(W2.T) * (1 - a1²)
      let previous = ws.deltas[l - 1] + first * fanIn
      layers[l].W.storage.withUnsafeBufferPointer { W in
        matmulTransposedB(
          delta, W.baseAddress!, into: previous, m: m, k: fanOut, n: fanIn, scratch: scratch ?? ws.transposed)
      }
      let slopes = ws.slopes[l - 1] + first * fanIn
      if let dropout, misreading != .derivativeOfZ {
        // delta2 = delta3.dot(W2.T) * (1 - a1²) * mask1, with a1 before its mask: the slopes
        // f'(a1) · (1 or 0) from the forward pass, then the kept value (`dropoutSlopes`; the same
        // bits since f'(a1) is finite and at most 1).
        KernelSet.chosen.multiplyBySlopes(previous, slopes, dropout.kept, m * fanIn)
        continue
      }
      let output = misreading == .derivativeOfZ ? ws.hiddenScores[l - 1] : ws.outputs[l - 1]
      activation.multiplyByDerivative(previous, output: output + first * fanIn, count: m * fanIn)
      // A misread f'(z) can be any size, so then δ · f'(z) first and the mask after, as numpy
      // does: the mask's pass leaves δ · mask (and slopes no one reads).
      dropout?.apply(layer: l - 1, rows: m, to: previous, slopes: slopes, activation: activation)
    }
  }

  /// The second half: `dW = aᵀ·δ` and `db = Σ δ` of `layers` over all `m` rows of the workspace
  /// (`X` the first layer's input), each a sum over the rows in order.
  func sumGradients(
    _ X: UnsafePointer<Double>, rows m: Int, in ws: Workspace, layers chosen: some Sequence<Int>,
    scratch: UnsafeMutablePointer<Double>? = nil
  ) {
    for l in chosen {
      let (fanIn, fanOut) = (layers[l].W.rows, layers[l].W.cols)
      let input = l == 0 ? X : UnsafePointer(ws.outputs[l - 1])
      let delta = UnsafePointer(ws.deltas[l])
      matmulTransposedA(
        input, delta, into: ws.gradW[l], k: m, m: fanIn, n: fanOut, scratch: scratch ?? ws.transposed)
      columnSums(delta, into: ws.gradB[l], m: m, n: fanOut)
    }
  }

  /// The gradient of the post's summed objective `Σ cross-entropy + lambda/2 · Σ ||W||²`, one
  /// `Layer` of derivatives per layer (what one full-batch step descends along).
  /// With L1 the penalty's part is `lambda · sign(W)`; with `dropout`, the masks of every row
  /// (drawn for `data.count` rows) stay fixed, so the objective is a smooth function to check.
  public func gradient(
    on data: Dataset, lambda: Double, regularization: Regularization = .l2, dropout: DropoutMasks? = nil
  ) -> [Layer] {
    let ws = Workspace(sizes: sizes, capacity: data.count)
    let inputs = features.expand(data.X)
    inputs.storage.withUnsafeBufferPointer { X in
      forward(X.baseAddress!, rows: data.count, into: ws, dropout: dropout?.rows(from: 0))
      backward(
        X.baseAddress!, labels: data.y, rows: data.count, in: ws, targets: data.targets,
        dropout: dropout?.rows(from: 0))
    }
    return layers.indices.map { l in
      let W = layers[l].W
      var dW = Matrix(rows: W.rows, cols: W.cols)
      for i in 0..<W.storage.count {
        dW.storage[i] = ws.gradW[l][i] + regularization.gradient(W.storage[i], lambda: lambda)
      }
      return Layer(W: dW, b: Array(UnsafeBufferPointer(start: ws.gradB[l], count: W.cols)))
    }
  }
}
