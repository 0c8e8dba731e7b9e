import Foundation

/// Forward propagation over a batch, every intermediate array kept for some of its rows: what the
/// post's `z1 = X.dot(W1) + b1 … probs = exp_scores / np.sum(exp_scores, …)` lines hold, as
/// values. Worked out by the trainer's own kernels, so each number is the one training uses.
/// Every row is kept for a batch of one block (the post's 200 points); of a larger batch only
/// the rows asked for, so memory stays small however many points and units there are.
public struct ForwardTrace: Sendable, Equatable {
  /// The rows of the batch kept (ascending), and how many rows the batch has.
  public let rows: [Int]
  public let count: Int
  /// The kept rows' inputs (`X`, the features the network reads), labels (`y`) and, for
  /// regression, targets.
  public let X: Matrix
  public let y: [Int]
  public let targets: [Double]?
  /// `z[l]`: layer `l`'s input before its activation (`z1`, `z2`, …; the last is the scores).
  public let z: [Matrix]
  /// `a[l]`: the hidden layers' outputs (`a1`, `a2`, …), before any dropout mask.
  public let a: [Matrix]
  /// Each hidden layer's dropout mask (empty without dropout): the next layer reads `a · mask`.
  public let masks: [Matrix]
  /// `np.exp(z_last)` (shifted by the row's largest score only where that is beyond ±700, as the
  /// kernel does to stay finite), and the probabilities `exp_scores / Σ exp_scores`; for
  /// regression `probs` holds the prediction ŷ and `expScores` is `z_last`.
  public let expScores: Matrix
  public let probs: Matrix

  /// Where batch row `row` is in the kept rows' arrays, if it was kept.
  public func index(of row: Int) -> Int? {
    var (low, high) = (0, rows.count)
    while low < high {
      let mid = (low + high) / 2
      if rows[mid] < row { low = mid + 1 } else { high = mid }
    }
    return low < rows.count && rows[low] == row ? low : nil
  }

  /// What hidden layer `l` hands the next layer at kept row `k`: `a` times its mask, if any.
  public func dropped(_ l: Int, _ k: Int) -> [Double] {
    (0..<a[l].cols).map { masks.isEmpty ? a[l][k, $0] : a[l][k, $0] * masks[l][k, $0] }
  }

  /// Each kept row's `-log p` of its own class (`corect_logprobs`); for regression `½(ŷ - y)²`.
  public var negativeLogProbabilities: [Double] {
    guard let targets else { return y.indices.map { -Foundation.log(probs[$0, y[$0]]) } }
    return targets.indices.map { 0.5 * (probs[$0, 0] - targets[$0]) * (probs[$0, 0] - targets[$0]) }
  }
}

/// One step of gradient descent taken apart: the forward pass, `delta3 = probs; delta3[range(N),
/// y] -= 1` (or `yhat - y`), every layer's `dW` and `db`, the penalty's terms, the gradient
/// descended along, the optimizer's memory and the parameters after the update. From a trainer
/// (`Trainer.traceNextStep`) on a full batch, the parameters after are those of its next `step()`,
/// dropout masks and optimizer memory included, to the last bit (tested).
public struct StepTrace: Sendable {
  /// The network the step starts from, and the forward pass over the batch.
  public let network: Network
  public let forward: ForwardTrace
  /// `deltas[l]`: the loss's gradient with respect to `z[l]` (`delta2`, `delta3` for the post),
  /// kept rows only (after the dropout mask, for a hidden layer).
  public let deltas: [Matrix]
  /// The data terms `dW = aᵀ·δ` and `db = Σ δ` of each layer, before scaling and the penalty.
  public let dataGradients: [Layer]
  /// The penalty's term of each layer's `dW`: `reg_lambda * W` (L2) or `reg_lambda * np.sign(W)` (L1).
  public let regularization: [Matrix]
  /// What is descended along: `dW · scale + penalty'(W)` and `db · scale`.
  public let gradients: [Layer]
  /// 1 for the post's summed gradient, `1/N` for the mean.
  public let scale: Double
  /// The learning rate of this step (annealed, if annealing is on), and λ.
  public let epsilon: Double
  public let lambda: Double
  public let config: TrainingConfig
  /// The optimizer's memory before and after the step (momentum, Nesterov and Adam; nil for the
  /// post's plain descent).
  public let memoryBefore: OptimizerState?
  public let memoryAfter: OptimizerState?
  /// The parameters after the update.
  public let updated: Network
  /// Whether every updated parameter is finite.
  public let finite: Bool
  /// Whether this is the very step the trainer takes next (false when shown on the full batch of
  /// a minibatch run, or from a network the trainer has moved on from).
  public let exact: Bool
  /// Over every row of the batch, per layer: `Σ |input_r| |δ_r|` and `Σ |δ_r|` (for `rowShares`),
  /// and the kept rows' own `|input_r|` and `|δ_r|`.
  private let shareTotals: [(weights: Double, biases: Double)]
  private let keptNorms: [(input: [Double], delta: [Double])]

  /// The step `network` would take on `data` (the whole batch, the points' own columns) with
  /// `config` at `iteration` (which sets the annealed rate), from a fresh optimizer memory and
  /// without dropout masks. Keeps the rows `keeping` (every row when nil or when the batch is one
  /// block).
  public init(network: Network, data: Dataset, config: TrainingConfig, iteration: Int = 0, keeping: [Int]? = nil) {
    var config = config
    config.dropout = 0
    self.init(
      network: network, inputs: network.features.expand(data), config: config, iteration: iteration, memory: nil,
      masks: nil, keeping: keeping, exact: false)
  }

  /// The step on `inputs` (already the features the network reads) with the trainer's memory and
  /// this step's dropout masks.
  init(
    network: Network, inputs data: Dataset, config: TrainingConfig, iteration: Int, memory: OptimizerState?,
    masks: DropoutMasks?, keeping: [Int]?, exact: Bool
  ) {
    precondition(data.count > 0 && data.features == network.inputs, "data must fit the network")
    self.network = network
    self.config = config
    self.exact = exact
    let m = data.count
    let sizes = network.sizes
    let L = network.layers.count
    let blockRows = Workspace.blockRows
    let kept: [Int] =
      keeping.flatMap { m > blockRows ? Array(Set($0.filter { (0..<m).contains($0) })).sorted() : nil }
      ?? Array(0..<m)
    let ws = Workspace(sizes: sizes, capacity: min(m, blockRows))
    let regression = network.task == .regression
    // The kept rows' arrays, filled block by block.
    let n = kept.count
    var z = sizes.dropFirst().map { Matrix(rows: n, cols: $0) }
    var a = sizes.dropFirst().dropLast().map { Matrix(rows: n, cols: $0) }
    var maskRows = masks == nil ? [] : a
    var outputs = Matrix(rows: n, cols: sizes[L])
    var deltas = z
    var X = Matrix(rows: n, cols: sizes[0])
    var totals = [(weights: Double, biases: Double)](repeating: (0, 0), count: L)
    var norms = [(input: [Double], delta: [Double])](
      repeating: ([Double](repeating: 0, count: n), [Double](repeating: 0, count: n)), count: L)
    func copyRow(_ from: UnsafePointer<Double>, _ r: Int, into matrix: inout Matrix, at k: Int) {
      let c = matrix.cols
      for j in 0..<c { matrix.storage[k * c + j] = from[r * c + j] }
    }
    func norm(_ p: UnsafePointer<Double>, _ count: Int) -> Double {
      var sum = 0.0
      for j in 0..<count { sum += p[j] * p[j] }
      return sum.squareRoot()
    }
    var next = 0  // the first kept row not yet copied
    data.X.storage.withUnsafeBufferPointer { input in
      var start = 0
      repeat {
        let rows = min(blockRows, m - start)
        let first = next
        while next < n && kept[next] < start + rows { next += 1 }
        let inBlock = first..<next
        let block = input.baseAddress! + start * sizes[0]
        let dropout = masks?.rows(from: start)
        network.forward(
          block, rows: rows, into: ws, dropout: dropout, misreading: config.misreading,
          scores: { l, out in for k in inBlock { copyRow(out, kept[k] - start, into: &z[l], at: k) } },
          activations: { l, out in for k in inBlock { copyRow(out, kept[k] - start, into: &a[l], at: k) } })
        for k in inBlock {
          copyRow(block, kept[k] - start, into: &X, at: k)
          copyRow(ws.outputs[L - 1], kept[k] - start, into: &outputs, at: k)
          if let masks {
            for l in 0..<L - 1 {
              let c = sizes[l + 1]
              maskRows[l].storage.replaceSubrange(k * c..<(k + 1) * c, with: masks.mask(layer: l, row: kept[k]))
            }
          }
        }
        network.backward(
          block, labels: data.y, offset: start, rows: rows, in: ws, targets: data.targets, dropout: dropout,
          misreading: config.misreading)
        for l in 0..<L {
          let (fanIn, fanOut) = (sizes[l], sizes[l + 1])
          let layerInput = l == 0 ? block : UnsafePointer(ws.outputs[l - 1])
          for r in 0..<rows {
            let (ni, nd) = (norm(layerInput + r * fanIn, fanIn), norm(ws.deltas[l] + r * fanOut, fanOut))
            totals[l].weights += ni * nd
            totals[l].biases += nd
          }
          for k in inBlock {
            let r = kept[k] - start
            copyRow(ws.deltas[l], r, into: &deltas[l], at: k)
            norms[l].input[k] = norm(layerInput + r * fanIn, fanIn)
            norms[l].delta[k] = norm(ws.deltas[l] + r * fanOut, fanOut)
          }
        }
        // The trainer sums a batch of more than one block block by block: so does the trace.
        if m > blockRows { ws.accumulateGradients(first: start == 0) }
        start += rows
      } while start < m
    }
    let (gradW, gradB) = m > blockRows ? (ws.sumW, ws.sumB) : (ws.gradW, ws.gradB)
    shareTotals = totals
    keptNorms = norms
    self.deltas = deltas
    forward = ForwardTrace(
      rows: kept, count: m, X: X, y: kept.map { data.y[$0] }, targets: data.targets.map { t in kept.map { t[$0] } },
      z: z, a: a, masks: maskRows, expScores: regression ? z[L - 1] : Self.expScores(z[L - 1]), probs: outputs)
    func matrix(_ pointer: UnsafeMutablePointer<Double>, _ rows: Int, _ cols: Int) -> Matrix {
      Matrix(rows: rows, cols: cols, storage: Array(UnsafeBufferPointer(start: pointer, count: rows * cols)))
    }
    dataGradients = (0..<L).map {
      Layer(
        W: matrix(gradW[$0], sizes[$0], sizes[$0 + 1]),
        b: Array(UnsafeBufferPointer(start: gradB[$0], count: sizes[$0 + 1])))
    }

    scale = config.gradient == .mean ? 1 / Double(m) : 1
    epsilon = config.epsilon(at: iteration)
    lambda = config.lambda
    let (scale, lambda, penalty) = (self.scale, self.lambda, config.regularization)
    regularization = network.layers.map { layer in
      Matrix(
        rows: layer.W.rows, cols: layer.W.cols, storage: layer.W.storage.map { penalty.gradient($0, lambda: lambda) })
    }
    // The same expressions as `Network.descend`, so the numbers shown are the ones it adds.
    gradients = zip(dataGradients, network.layers).map { data, layer in
      var dW = data.W
      for i in dW.storage.indices {
        dW.storage[i] = data.W.storage[i] * scale + penalty.gradient(layer.W.storage[i], lambda: lambda)
      }
      return Layer(W: dW, b: data.b.map { $0 * scale })
    }
    // The same choice of update as `Trainer.step`.
    var after = network
    if config.optimizer.kind == .gd && config.regularization == .l2 {
      memoryBefore = nil
      memoryAfter = nil
      finite = after.descend(gradW: gradW, gradB: gradB, scale: scale, lambda: lambda, epsilon: epsilon)
    } else {
      var state =
        memory?.kind == config.optimizer.kind ? memory! : OptimizerState(kind: config.optimizer.kind, network: network)
      memoryBefore = state
      finite = after.descend(
        gradW: gradW, gradB: gradB, scale: scale, lambda: lambda, regularization: penalty,
        optimizer: config.optimizer, epsilon: epsilon, state: &state)
      memoryAfter = state
    }
    updated = after
  }

  /// The trace's names for the post's arrays: `z1`, `a1`, `delta3`, `W2`, … (layer `l` counts
  /// from 0; `delta` is numbered as the post numbers it, one past the layer's `z`).
  public static func zName(_ l: Int) -> String { "z\(l + 1)" }
  public static func aName(_ l: Int) -> String { "a\(l + 1)" }
  public static func deltaName(_ l: Int) -> String { "delta\(l + 2)" }

  /// One row's term in each layer's data gradient: `dW = Σ_rows aᵀδ` is a sum over the points,
  /// and this is batch row `row`'s own `a_rowᵀ δ_row` and `δ_row` (a kept row).
  public func rowTerms(_ row: Int) -> [Layer] {
    let k = forward.index(of: row) ?? 0
    return network.layers.indices.map { l in
      let input = l == 0 ? (0..<forward.X.cols).map { forward.X[k, $0] } : forward.dropped(l - 1, k)
      let delta = deltas[l]
      var W = Matrix(rows: input.count, cols: delta.cols)
      for i in 0..<input.count {
        for j in 0..<delta.cols { W[i, j] = input[i] * delta[k, j] }
      }
      return Layer(W: W, b: (0..<delta.cols).map { delta[k, $0] })
    }
  }

  /// Batch row `row`'s share of each layer's data gradient: the size of its term over the summed
  /// sizes of every row's terms (Frobenius norms; the term `a_rowᵀ δ_row` has norm `|a_row| |δ_row|`).
  public func rowShares(_ row: Int) -> [(weights: Double, biases: Double)] {
    let k = forward.index(of: row) ?? 0
    return zip(shareTotals, keptNorms).map { total, norms in
      let (input, delta) = (norms.input[k], norms.delta[k])
      return (total.weights > 0 ? input * delta / total.weights : 0, total.biases > 0 ? delta / total.biases : 0)
    }
  }

  /// `np.exp(z)` row by row, with the kernel's own guard: a row whose largest score is beyond
  /// ±700 is shifted by it first (softmax is unchanged by the shift, and exp stays finite).
  static func expScores(_ scores: Matrix) -> Matrix {
    var out = scores
    let n = scores.cols
    out.storage.withUnsafeMutableBufferPointer { z in
      for i in 0..<scores.rows {
        let row = z.baseAddress! + i * n
        var top = -Double.infinity
        for j in 0..<n { top = max(top, row[j]) }
        if (top > 700 || top < -700) && top.isFinite {
          for j in 0..<n { row[j] -= top }
        }
      }
      if z.count > 0 { KernelSet.chosen.exp(z.baseAddress!, z.count) }
    }
    return out
  }
}

extension Network {
  /// Forward propagation over `data`'s points (their own columns) with every intermediate array
  /// kept, for showing one point's numbers (test points too).
  public func forwardTrace(_ data: Dataset) -> ForwardTrace {
    var config = TrainingConfig()
    config.lambda = 0
    return StepTrace(network: self, data: data, config: config).forward
  }
}

extension Trainer {
  /// The step `step()` takes next, taken apart, keeping the rows `keeping` of a large batch. On
  /// a full batch it is that very step: the same dropout masks (drawn from a copy of the
  /// generator) and optimizer memory. A minibatch run's step is shown on the full batch.
  public func traceNextStep(keeping: [Int]? = nil) -> StepTrace {
    let fullBatch = (config.batchSize ?? data.count) >= data.count
    var masks: DropoutMasks?
    if config.dropout > 0 {
      var copy = rng
      masks = DropoutMasks(widths: network.hiddenSizes, rows: data.count)
      masks!.draw(p: config.dropout, rows: data.count, rng: &copy)
    }
    return StepTrace(
      network: network, inputs: inputs, config: config, iteration: iteration, memory: optimizerState, masks: masks,
      keeping: keeping, exact: fullBatch)
  }
}
