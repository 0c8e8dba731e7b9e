import Foundation

/// Forward propagation over some rows, every intermediate array kept: what the post's
/// `z1 = X.dot(W1) + b1 … probs = exp_scores / np.sum(exp_scores, …)` lines hold, as values.
/// Worked out by the trainer's own kernels, so each number is the one training uses.
public struct ForwardTrace: Sendable, Equatable {
  /// The rows, one per point (`X`), and their labels (`y`).
  public let X: Matrix
  public let y: [Int]
  /// `z[l]`: layer `l`'s input before its activation (`z1`, `z2`, …; the last is the scores).
  public let z: [Matrix]
  /// `a[l]`: the hidden layers' outputs (`a1`, `a2`, …); one fewer than `z`.
  public let a: [Matrix]
  /// `np.exp(z_last)` (shifted by the row's largest score only where that is beyond ±700, as the
  /// kernel does to stay finite), and the probabilities `exp_scores / Σ exp_scores`.
  public let expScores: Matrix
  public let probs: Matrix

  /// Each row's `-log p` of its own class (`corect_logprobs`).
  public var negativeLogProbabilities: [Double] { y.indices.map { -Foundation.log(probs[$0, y[$0]]) } }
}

/// One step of gradient descent taken apart: the forward pass, `delta3 = probs; delta3[range(N),
/// y] -= 1`, every layer's `dW` and `db`, the regularization terms `reg_lambda * W`, the gradient
/// descended along and the parameters after `W += -epsilon * dW`. The parameters after are those
/// of one `Trainer.step()` on the same batch, to the last bit (tested).
public struct StepTrace: Sendable {
  /// The network the step starts from, and the forward pass over the batch.
  public let network: Network
  public let forward: ForwardTrace
  /// `deltas[l]`: the loss's gradient with respect to `z[l]` (`delta2`, `delta3` for the post).
  public let deltas: [Matrix]
  /// The data terms `dW = aᵀ·δ` and `db = Σ δ` of each layer, before scaling and regularization.
  public let dataGradients: [Layer]
  /// `reg_lambda * W` of each layer (the biases have none).
  public let regularization: [Matrix]
  /// What is descended along: `dW · scale + reg_lambda · W` and `db · scale`.
  public let gradients: [Layer]
  /// 1 for the post's summed gradient, `1/N` for the mean.
  public let scale: Double
  /// The learning rate of this step (annealed, if annealing is on), and λ.
  public let epsilon: Double
  public let lambda: Double
  /// The parameters after the update.
  public let updated: Network
  /// Whether every updated parameter is finite.
  public let finite: Bool

  /// The step `network` takes on `data` (the whole batch) with `config` at `iteration` (which
  /// sets the annealed learning rate).
  public init(network: Network, data: Dataset, config: TrainingConfig, iteration: Int = 0) {
    precondition(data.count > 0 && data.features == network.inputs, "data must fit the network")
    self.network = network
    let m = data.count
    let sizes = network.sizes
    let ws = Workspace(sizes: sizes, capacity: m)
    forward = network.forwardTrace(data, in: ws)
    data.X.storage.withUnsafeBufferPointer { X in
      network.backward(X.baseAddress!, labels: data.y, rows: m, in: ws)
    }
    let L = network.layers.count
    func matrix(_ pointer: UnsafeMutablePointer<Double>, _ rows: Int, _ cols: Int) -> Matrix {
      Matrix(rows: rows, cols: cols, storage: Array(UnsafeBufferPointer(start: pointer, count: rows * cols)))
    }
    deltas = (0..<L).map { matrix(ws.deltas[$0], m, sizes[$0 + 1]) }

    // The trainer sums a batch of more than `blockRows` rows block by block: do the same, so the
    // sums round as they do there.
    let (gradW, gradB): ([UnsafeMutablePointer<Double>], [UnsafeMutablePointer<Double>])
    let blocks = Workspace(sizes: sizes, capacity: Workspace.blockRows)
    if m > Workspace.blockRows {
      data.X.storage.withUnsafeBufferPointer { X in
        var start = 0
        while start < m {
          let rows = min(Workspace.blockRows, m - start)
          network.gradients(
            X.baseAddress! + start * network.inputs, labels: data.y, offset: start, rows: rows, columns: nil,
            in: blocks, probabilities: nil)
          blocks.accumulateGradients(first: start == 0)
          start += rows
        }
      }
      (gradW, gradB) = (blocks.sumW, blocks.sumB)
    } else {
      (gradW, gradB) = (ws.gradW, ws.gradB)
    }
    dataGradients = (0..<L).map {
      Layer(
        W: matrix(gradW[$0], sizes[$0], sizes[$0 + 1]),
        b: Array(UnsafeBufferPointer(start: gradB[$0], count: sizes[$0 + 1])))
    }

    scale = config.gradient == .mean ? 1 / Double(m) : 1
    epsilon = config.epsilon(at: iteration)
    lambda = config.lambda
    let (scale, lambda) = (self.scale, self.lambda)
    regularization = network.layers.map { layer in
      Matrix(rows: layer.W.rows, cols: layer.W.cols, storage: layer.W.storage.map { lambda * $0 })
    }
    // The same expressions as `Network.descend`, so the numbers shown are the ones it adds.
    gradients = zip(dataGradients, network.layers).map { data, layer in
      var dW = data.W
      for i in dW.storage.indices { dW.storage[i] = data.W.storage[i] * scale + lambda * layer.W.storage[i] }
      return Layer(W: dW, b: data.b.map { $0 * scale })
    }
    var next = network
    finite = next.descend(gradW: gradW, gradB: gradB, scale: scale, lambda: lambda, epsilon: epsilon)
    updated = next
  }

  /// The trace's names for the post's arrays: `z1`, `a1`, `delta3`, `W2`, … (layer `l` counts
  /// from 0; `delta` is numbered as the post numbers it, one past the layer's `z`).
  public static func zName(_ l: Int) -> String { "z\(l + 1)" }
  public static func aName(_ l: Int) -> String { "a\(l + 1)" }
  public static func deltaName(_ l: Int) -> String { "delta\(l + 2)" }

  /// One row's term in each layer's data gradient: `dW = Σ_rows aᵀδ` is a sum over the points,
  /// and this is the point's own `a_rowᵀ δ_row` and `δ_row`.
  public func rowTerms(_ row: Int) -> [Layer] {
    network.layers.indices.map { l in
      let input = l == 0 ? forward.X : forward.a[l - 1]
      let delta = deltas[l]
      var W = Matrix(rows: input.cols, cols: delta.cols)
      for i in 0..<input.cols {
        for j in 0..<delta.cols { W[i, j] = input[row, i] * delta[row, j] }
      }
      return Layer(W: W, b: (0..<delta.cols).map { delta[row, $0] })
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
      KernelSet.chosen.exp(z.baseAddress!, z.count)
    }
    return out
  }
}

extension Network {
  /// Forward propagation over `data`'s points with every intermediate array kept (for showing one
  /// point's numbers, test points too).
  public func forwardTrace(_ data: Dataset) -> ForwardTrace {
    forwardTrace(data, in: Workspace(sizes: sizes, capacity: max(1, data.count)))
  }

  /// The same, in `ws`, which is left holding the pass for `backward`.
  fileprivate func forwardTrace(_ data: Dataset, in ws: Workspace) -> ForwardTrace {
    precondition(data.features == inputs, "data must fit the network")
    let (m, sizes, L) = (data.count, self.sizes, layers.count)
    func matrix(_ pointer: UnsafePointer<Double>, _ cols: Int) -> Matrix {
      Matrix(rows: m, cols: cols, storage: Array(UnsafeBufferPointer(start: pointer, count: m * cols)))
    }
    var z: [Matrix] = []
    data.X.storage.withUnsafeBufferPointer { X in
      forward(X.baseAddress!, rows: m, into: ws) { l, out in z.append(matrix(out, sizes[l + 1])) }
    }
    let a = (0..<L - 1).map { matrix(ws.outputs[$0], sizes[$0 + 1]) }
    return ForwardTrace(
      X: data.X, y: data.y, z: z, a: a, expScores: StepTrace.expScores(z[L - 1]),
      probs: matrix(ws.outputs[L - 1], classes))
  }
}

extension StepTrace {
  /// One row's share of each layer's data gradient: the size of its term over the summed sizes of
  /// every row's terms (Frobenius norms; the term `a_rowᵀ δ_row` has norm `|a_row| |δ_row|`).
  public func rowShares(_ row: Int) -> [(weights: Double, biases: Double)] {
    network.layers.indices.map { l in
      let input = l == 0 ? forward.X : forward.a[l - 1]
      let delta = deltas[l]
      func norm(_ m: Matrix, _ r: Int) -> Double {
        (0..<m.cols).reduce(0.0) { $0 + m[r, $1] * m[r, $1] }.squareRoot()
      }
      var (weights, biases) = (0.0, 0.0)
      for r in 0..<input.rows {
        weights += norm(input, r) * norm(delta, r)
        biases += norm(delta, r)
      }
      let d = norm(delta, row)
      return (weights > 0 ? norm(input, row) * d / weights : 0, biases > 0 ? d / biases : 0)
    }
  }
}
