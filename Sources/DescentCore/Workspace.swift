import DescentKernels
import Foundation

/// Buffers for one forward and backward pass over up to `capacity` rows, allocated once and
/// reused every iteration so the hot loop never allocates.
final class Workspace {
  /// The most rows one forward or backward pass takes; more go through in blocks (on both cores
  /// when the trainer may use them). Fixed, so results never depend on the thread count.
  static let blockRows = 512

  let capacity: Int
  /// `outputs[l]`: the output of weight layer `l` (`a1`, `a2`, ...); the last holds the softmax
  /// probabilities.
  let outputs: [UnsafeMutablePointer<Double>]
  /// `deltas[l]`: the loss gradient with respect to layer `l`'s pre-activation (`delta3`, `delta2`).
  let deltas: [UnsafeMutablePointer<Double>]
  /// `dW` and `db` of each layer.
  let gradW: [UnsafeMutablePointer<Double>]
  let gradB: [UnsafeMutablePointer<Double>]
  /// `dW` and `db` summed over the blocks of a large batch.
  let sumW: [UnsafeMutablePointer<Double>]
  let sumB: [UnsafeMutablePointer<Double>]
  private let sizes: [Int]
  /// Room for the largest weight matrix transposed (for `δ·Wᵀ`).
  let transposed: UnsafeMutablePointer<Double>
  /// The rows of the current minibatch, gathered contiguously.
  let batchX: UnsafeMutablePointer<Double>
  var batchY: [Int]
  /// Scratch for the one-pass kernel of a one-hidden-layer network.
  let onePass: UnsafeMutablePointer<Double>
  /// Each row's probability of its own class, from the one-pass kernel (for the loss).
  let trueClass: UnsafeMutablePointer<Double>

  /// Buffers for passes of up to `capacity` rows, and minibatches of up to `batch` rows.
  init(sizes: [Int], capacity: Int, batch: Int = 0) {
    self.capacity = capacity
    self.sizes = sizes
    let widths = sizes.dropFirst()
    outputs = widths.map { .allocate(capacity: capacity * $0) }
    deltas = widths.map { .allocate(capacity: capacity * $0) }
    gradW = zip(sizes, widths).map { .allocate(capacity: $0 * $1) }
    gradB = widths.map { .allocate(capacity: $0) }
    sumW = zip(sizes, widths).map { .allocate(capacity: $0 * $1) }
    sumB = widths.map { .allocate(capacity: $0) }
    transposed = .allocate(capacity: zip(sizes, widths).map { $0 * $1 }.max() ?? 1)
    batchX = .allocate(capacity: max(1, batch) * sizes[0])
    batchY = [Int](repeating: 0, count: max(1, batch))
    let onePassSize = sizes.count == 3 ? oneHiddenLayerScratch(rows: capacity) : 1
    onePass = .allocate(capacity: onePassSize)
    onePass.initialize(repeating: 0, count: onePassSize)
    trueClass = .allocate(capacity: (capacity + laneCount - 1) / laneCount * laneCount)
  }

  deinit {
    for buffer in outputs + deltas + gradW + gradB + sumW + sumB { buffer.deallocate() }
    batchX.deallocate()
    transposed.deallocate()
    onePass.deallocate()
    trueClass.deallocate()
  }

  /// Adds this block's `dW` and `db` to the sums (or starts them, for the first block).
  func accumulateGradients(first: Bool) {
    for (l, (fanIn, fanOut)) in zip(sizes, sizes.dropFirst()).enumerated() {
      if first {
        sumW[l].update(from: gradW[l], count: fanIn * fanOut)
        sumB[l].update(from: gradB[l], count: fanOut)
      } else {
        for i in 0..<fanIn * fanOut { sumW[l][i] += gradW[l][i] }
        for j in 0..<fanOut { sumB[l][j] += gradB[l][j] }
      }
    }
  }
}

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
  /// and at most four inputs, hidden units and classes (the post's is 2, 3, 2).
  var trainsInOnePass: Bool {
    // Asked every step: read the shapes without building `sizes` (an array a step).
    layers.count == 2 && activation != .relu
      && layers.allSatisfy { $0.W.rows <= oneHiddenLayerWidth && $0.W.cols <= oneHiddenLayerWidth }
  }

  /// The gradient of the summed cross-entropy over `m` rows from `offset` (the data term) into
  /// `workspace.gradW` and `gradB`, and each row's probability of its own class into
  /// `probabilities` when given (for the loss curve, worked out every step; the printed loss is
  /// `calculate_loss`'s). In one pass when `columns` holds the same rows by column and the network
  /// is one the kernel trains; else `forward` then `backward`. Both give the same numbers to the
  /// last bit.
  func gradients(
    _ X: UnsafePointer<Double>, labels y: [Int], offset: Int, rows m: Int, columns: ColumnData?, in ws: Workspace,
    probabilities: UnsafeMutablePointer<Double>?, kernels: KernelSet = .chosen
  ) {
    guard let columns, trainsInOnePass else {
      forward(X, rows: m, into: ws)
      if let probabilities {
        let (probs, K) = (ws.outputs[layers.count - 1], classes)
        for i in 0..<m { probabilities[i] = probs[i * K + y[offset + i]] }
      }
      backward(X, labels: y, offset: offset, rows: m, in: ws)
      return
    }
    layers[0].W.storage.withUnsafeBufferPointer { W1 in
      layers[0].b.withUnsafeBufferPointer { b1 in
        layers[1].W.storage.withUnsafeBufferPointer { W2 in
          layers[1].b.withUnsafeBufferPointer { b2 in
            let net: OneHiddenLayerNetwork = (
              inputs, layers[0].W.cols, classes, activation == .sigmoid,
              W1.baseAddress!, b1.baseAddress!, W2.baseAddress!, b2.baseAddress!,
              ws.gradW[0], ws.gradB[0], ws.gradW[1], ws.gradB[1]
            )
            kernels.oneHiddenLayer(
              net, columns.rows(from: offset, count: m), ws.onePass, probabilities == nil ? nil : ws.trueClass)
          }
        }
      }
    }
    probabilities?.update(from: ws.trueClass, count: m)
  }

  /// Forward propagation over `m` rows starting at `X`: for each layer `z = a·W + b`, then
  /// `a = f(z)` for hidden layers and `softmax(z)` for the output, written into `workspace.outputs`.
  func forward(_ X: UnsafePointer<Double>, rows m: Int, into workspace: Workspace) {
    var input = X
    for l in layers.indices {
      let out = workspace.outputs[l]
      let (k, n) = (layers[l].W.rows, layers[l].W.cols)
      layers[l].W.storage.withUnsafeBufferPointer { W in
        matmul(input, W.baseAddress!, into: out, m: m, k: k, n: n)
      }
      layers[l].b.withUnsafeBufferPointer { addRowVector($0.baseAddress!, to: out, m: m, n: n) }
      if l == layers.count - 1 {
        softmaxRows(out, m: m, n: n)
      } else {
        activation.applyInPlace(out, count: m * n)
      }
      input = UnsafePointer(out)
    }
  }
}

extension Network {
  /// Backpropagation after `forward` on the same rows: fills `workspace.gradW` and `gradB` with the
  /// gradient of the summed cross-entropy (the data term; the caller adds `lambda · W`).
  func backward(_ X: UnsafePointer<Double>, labels y: [Int], offset: Int = 0, rows m: Int, in ws: Workspace) {
    let L = layers.count
    // delta3 = probs; delta3[range(m), y] -= 1
    let K = classes
    ws.deltas[L - 1].update(from: ws.outputs[L - 1], count: m * K)
    for i in 0..<m { ws.deltas[L - 1][i * K + y[offset + i]] -= 1 }

    for l in stride(from: L - 1, through: 0, by: -1) {
      let (fanIn, fanOut) = (layers[l].W.rows, layers[l].W.cols)
      let input = l == 0 ? X : UnsafePointer(ws.outputs[l - 1])
      let delta = UnsafePointer(ws.deltas[l])
      // dW = aᵀ·δ, db = Σ δ
      matmulTransposedA(input, delta, into: ws.gradW[l], k: m, m: fanIn, n: fanOut, scratch: ws.transposed)
      columnSums(delta, into: ws.gradB[l], m: m, n: fanOut)
      guard l > 0 else { continue }
      // δ_prev = δ·Wᵀ ∘ f'(a_prev), e.g. delta2 = delta3.dot(W2.T) * (1 - a1²)
      let previous = ws.deltas[l - 1]
      layers[l].W.storage.withUnsafeBufferPointer { W in
        matmulTransposedB(
          delta, W.baseAddress!, into: previous, m: m, k: fanOut, n: fanIn, scratch: ws.transposed)
      }
      activation.multiplyByDerivative(previous, output: ws.outputs[l - 1], count: m * fanIn)
    }
  }

  /// The gradient of the post's summed objective `Σ cross-entropy + lambda/2 · Σ ||W||²`, one
  /// `Layer` of derivatives per layer (what one full-batch step descends along).
  public func gradient(on data: Dataset, lambda: Double) -> [Layer] {
    let ws = Workspace(sizes: sizes, capacity: data.count)
    data.X.storage.withUnsafeBufferPointer { X in
      forward(X.baseAddress!, rows: data.count, into: ws)
      backward(X.baseAddress!, labels: data.y, rows: data.count, in: ws)
    }
    return layers.indices.map { l in
      let W = layers[l].W
      var dW = Matrix(rows: W.rows, cols: W.cols)
      for i in 0..<W.storage.count { dW.storage[i] = ws.gradW[l][i] + lambda * W.storage[i] }
      return Layer(W: dW, b: Array(UnsafeBufferPointer(start: ws.gradB[l], count: W.cols)))
    }
  }
}
