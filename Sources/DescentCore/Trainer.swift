import Dispatch
import Foundation

/// Runs the post's gradient descent one step at a time on a network it owns.
///
/// Not thread-safe: one thread drives it and hands out `network` (a value) as snapshots.
public final class Trainer {
  public private(set) var network: Network
  public let data: Dataset
  /// A held-out split, reported beside the training figures and never trained on.
  public let test: Dataset?
  /// Changes to ε, λ, batch size or annealing apply from the next step on.
  public var config: TrainingConfig
  /// How many updates have been made.
  public private(set) var iteration = 0
  /// When set, every full-batch step also works out the training loss of the parameters it
  /// started from, from the forward pass it makes anyway: `lossBeforeLastStep`.
  public var measuresLoss = false
  /// The training loss before the last full-batch step, when `measuresLoss` is set.
  public private(set) var lossBeforeLastStep: Double?

  /// Draws the minibatch order and the dropout masks; continues the generator that initialized
  /// the weights.
  private(set) var rng: RandomState
  private(set) var order: [Int]
  private(set) var cursor: Int
  /// The rows of the last batch are in its `batchX` (tests read which ones were drawn).
  let workspace: Workspace
  /// Large batches go through in blocks of rows; with `parallel`, the blocks are shared out
  /// between two threads, each with its own buffers, and summed in block order afterwards, so the
  /// result is the same to the last bit as on one thread. A single block large enough to gain has
  /// its rows shared out instead (`Network.gradientsOnTwoThreads`), to the same bits too.
  public var parallel = usableCores > 1
  /// How the last update went: the blocks of rows it summed, and whether on two threads.
  private(set) var lastBlocks = (count: 0, parallel: false)
  private lazy var helper = Workspace(sizes: network.sizes, capacity: Workspace.blockRows)
  /// The training data by column, for the one-pass kernel (networks with one hidden layer).
  private let columns: ColumnData?
  /// Each block's dW and db, packed; each row's probability of its own class in a batch of several
  /// blocks (one block's stay where its pass leaves them, `workspace.trueClass`).
  private var blockGradients: [Double] = []
  private var ownProbabilities: [Double] = []
  /// The training points as the network reads them (`data` itself for the post's features).
  let inputs: Dataset
  /// Momentum, Nesterov and Adam's memory (made at their first step, and again when the kind changes).
  private(set) var optimizerState: OptimizerState?
  private lazy var dropoutMasks = DropoutMasks(widths: network.hiddenSizes, rows: data.count)

  /// Trains `network` on `data`. `rng` shuffles the minibatches: pass the generator that drew the
  /// initial weights, as a numpy script that reseeds once would.
  public init(
    network: Network, data: Dataset, test: Dataset? = nil, config: TrainingConfig = TrainingConfig(),
    rng: RandomState = RandomState(seed: 0)
  ) {
    precondition(data.count > 0, "no training data")
    precondition(
      network.inputs == network.features.count(columns: data.features), "network inputs must match the data's features")
    precondition(
      network.task == .regression || network.classes >= data.classes, "network outputs must cover every class")
    precondition(network.task == .classification || data.targets != nil, "regression needs a target for every point")
    self.network = network
    self.data = data
    self.inputs = network.features.expand(data)
    self.test = test
    self.config = config
    self.rng = rng
    self.order = Array(0..<data.count)
    self.cursor = data.count
    self.workspace = Workspace(sizes: network.sizes, capacity: min(data.count, Workspace.blockRows), batch: data.count)
    self.columns = network.trainsInOnePass ? ColumnData(inputs, classes: network.classes) : nil
  }

  /// A trainer on a freshly initialized network, as `build_model` does: the generator is
  /// reseeded with `seed` and draws the weights, then the minibatch order.
  public convenience init(
    sizes: [Int], activation: Activation, features: InputFeatures = .raw, task: LearningTask = .classification,
    data: Dataset, test: Dataset? = nil, config: TrainingConfig = TrainingConfig(), seed: UInt32
  ) {
    var rng = RandomState(seed: seed)
    let network = Network(sizes: sizes, activation: activation, features: features, task: task, rng: &rng)
    self.init(network: network, data: data, test: test, config: config, rng: rng)
  }

  /// The training loss of the current parameters (`calculate_loss`).
  public func loss() -> Double { network.loss(on: data, lambda: config.lambda, regularization: config.regularization) }
  /// The held-out loss, when there is a split.
  public func testLoss() -> Double? {
    test.map { network.loss(on: $0, lambda: config.lambda, regularization: config.regularization) }
  }

  /// Runs `count` steps; stops early and returns false as soon as a parameter stops being finite.
  @discardableResult
  public func train(_ count: Int) -> Bool {
    for _ in 0..<count where !step() { return false }
    return true
  }

  /// One gradient-descent update on the next batch. Returns false if the run diverged: the loss of
  /// the rows it stepped on was not finite (a probability of a point's own class rounded to 0), or
  /// the update left a parameter, or the weights' squared sum, that is not finite. The iteration
  /// still counts, so the caller can say where. Checked at every step, whatever is printed.
  @discardableResult
  public func step() -> Bool {
    let batch = config.batchSize.map { min($0, data.count) } ?? data.count
    // The masks, read once a step (each read of the lazy property retains them).
    let dropout = config.dropout > 0 ? dropoutMasks : nil
    let finite: Bool
    if batch >= data.count {
      if let dropout { drawMasks(dropout, rows: data.count) }
      finite = inputs.X.storage.withUnsafeBufferPointer { X in
        update(
          X.baseAddress!, labels: data.y, targets: data.targets, rows: data.count, columns: columns, dropout: dropout)
      }
    } else {
      gatherNextBatch(size: batch)
      if let dropout { drawMasks(dropout, rows: batch) }
      finite = update(
        UnsafePointer(workspace.batchX), labels: workspace.batchY,
        targets: data.targets == nil ? nil : workspace.batchT,
        rows: batch, columns: nil, dropout: dropout)
    }
    iteration += 1
    return finite
  }

  /// Copies the next `size` rows of the shuffled order into the workspace, reshuffling with
  /// `permutation` at the start of every epoch.
  private func gatherNextBatch(size: Int) {
    let features = inputs.features
    inputs.X.storage.withUnsafeBufferPointer { X in
      for k in 0..<size {
        if cursor >= order.count {
          order = rng.permutation(data.count)
          cursor = 0
        }
        let row = order[cursor]
        cursor += 1
        (workspace.batchX + k * features).update(from: X.baseAddress! + row * features, count: features)
        workspace.batchY[k] = data.y[row]
        if let targets = data.targets { workspace.batchT[k] = targets[row] }
      }
    }
  }

  /// Forward, backpropagation and the parameter update on `m` rows; true if all stayed finite.
  /// `columns` holds the same rows by column, for the one-pass kernel (full batches only);
  /// `dropout` the step's masks (`drawMasks`).
  private func update(
    _ X: UnsafePointer<Double>, labels y: [Int], targets: [Double]?, rows m: Int, columns: ColumnData?,
    dropout: DropoutMasks?
  ) -> Bool {
    let ws = workspace
    // The measured loss is the undropped network's classification loss; else the caller asks `loss()`.
    let measuring = measuresLoss && m == data.count && network.task == .classification && dropout == nil
    // Each row's probability of its own class, kept every step of a classifier: one that is 0 (or
    // not a number) makes the loss infinite although every parameter is still finite.
    let tracksOwn = network.task == .classification && dropout == nil
    // Large batches go through in blocks of rows whose gradients are summed, so memory stays
    // bounded however many points there are (one block, as for the post, sums nothing extra).
    let blocks = m > Workspace.blockRows
    if tracksOwn && blocks && ownProbabilities.count < m { ownProbabilities = [Double](repeating: 0, count: m) }
    /// Each row's probability of its own class: one block's where the pass leaves them (no copy).
    func withOwn<R>(_ body: (UnsafeMutablePointer<Double>) -> R) -> R {
      blocks ? ownProbabilities.withUnsafeMutableBufferPointer { body($0.baseAddress!) } : body(ws.trueClass)
    }
    if blocks && parallel && dropout == nil {
      updateInParallel(X, labels: y, targets: targets, rows: m, measuring: tracksOwn, columns: columns)
    } else {
      lastBlocks = (0, false)
      func blockByBlock() {
        withOwn { own in
          var start = 0
          repeat {
            let rows = min(Workspace.blockRows, m - start)
            network.gradientsOfOwnParameters(
              X + start * network.inputs, labels: y, offset: start, rows: rows, columns: columns, in: ws,
              probabilities: tracksOwn ? own + start : nil, targets: targets,
              dropout: dropout?.rows(from: start), misreading: config.misreading, twoThreads: parallel)
            if blocks { ws.accumulateGradients(first: start == 0) }
            lastBlocks.count += 1
            start += rows
          } while start < m
        }
      }
      // Masks left to the pass are drawn there, from the generator that ordered the batch.
      if let dropout, dropout.drawsLeft > 0 { dropout.withGenerator(&rng, blockByBlock) } else { blockByBlock() }
    }
    let lossIsFinite = !tracksOwn || withOwn { allPositive($0, count: m) }
    if measuring {
      let dataLoss = withOwn { crossEntropy($0, count: m) }
      // calculate_loss: (Σ -log p + lambda/2 · Σ ||W||²) / N (or λ · Σ |W| with L1)
      lossBeforeLastStep =
        1.0 / Double(m) * (dataLoss + config.regularization.penalty(network, lambda: config.lambda))
    } else {
      lossBeforeLastStep = nil
    }
    let scale = config.gradient == .mean ? 1 / Double(m) : 1
    let epsilon = config.epsilon(at: iteration)
    guard config.optimizer.kind == .gd && config.regularization == .l2 else {
      let (gradW, gradB) = blocks ? (ws.sumW, ws.sumB) : (ws.gradW, ws.gradB)
      if optimizerState?.kind != config.optimizer.kind {
        optimizerState = OptimizerState(kind: config.optimizer.kind, network: network)
      }
      return network.descend(
        gradW: gradW, gradB: gradB, scale: scale, lambda: config.lambda, regularization: config.regularization,
        optimizer: config.optimizer, epsilon: epsilon, state: &optimizerState!) && lossIsFinite
    }
    optimizerState = nil
    // The workspace's arrays as arguments, not through a tuple, which retained and released both
    // every step (two pairs of atomic operations: about 1% of the post's step).
    let descended =
      blocks
      ? network.descend(gradW: ws.sumW, gradB: ws.sumB, scale: scale, lambda: config.lambda, epsilon: epsilon)
      : network.descend(gradW: ws.gradW, gradB: ws.gradB, scale: scale, lambda: config.lambda, epsilon: epsilon)
    return descended && lossIsFinite
  }

  /// This step's dropout masks over `rows` rows, from the generator that ordered the batch: drawn
  /// here when this thread would make them anyway, else left to the pass (`prepareLater`), where
  /// the second thread makes them while this one starts its half of the step.
  private func drawMasks(_ masks: DropoutMasks, rows: Int) {
    if parallel && rows * masks.drawsPerRow >= DropoutMasks.drawsForASecondThread {
      masks.prepareLater(p: config.dropout, rows: rows)
    } else {
      masks.draw(p: config.dropout, rows: rows, rng: &rng)
    }
  }

  /// The blocks of a large batch on two threads (even blocks here, odd ones on a helper), each
  /// block's gradient kept apart and then summed in block order into `workspace.sumW`/`sumB`, as
  /// the one-thread loop would; each row's probability of its own class into `ownProbabilities`.
  private func updateInParallel(
    _ X: UnsafePointer<Double>, labels y: [Int], targets: [Double]?, rows m: Int, measuring: Bool,
    columns: ColumnData?
  ) {
    let sizes = network.sizes
    let shapes = zip(sizes, sizes.dropFirst()).map { (weights: $0 * $1, biases: $1) }
    let stride = shapes.reduce(0) { $0 + $1.weights + $1.biases }
    let count = (m + Workspace.blockRows - 1) / Workspace.blockRows
    lastBlocks = (count, true)
    if blockGradients.count < count * stride { blockGradients = [Double](repeating: 0, count: count * stride) }
    let network = self.network
    let misreading = config.misreading
    let workspaces = [workspace, helper]
    let inputs = network.inputs
    blockGradients.withUnsafeMutableBufferPointer { gradients in
      ownProbabilities.withUnsafeMutableBufferPointer { own in
        let (gradients, own) = (gradients.baseAddress!, own.baseAddress)
        onTwoThreads { thread in
          let ws = workspaces[thread]
          for b in Swift.stride(from: thread, to: count, by: 2) {
            let start = b * Workspace.blockRows
            let rows = min(Workspace.blockRows, m - start)
            let block = X + start * inputs
            network.gradients(
              block, labels: y, offset: start, rows: rows, columns: columns, in: ws,
              probabilities: measuring ? own.map { $0 + start } : nil, targets: targets,
              misreading: misreading)
            var out = gradients + b * stride
            for (l, shape) in shapes.enumerated() {
              out.update(from: ws.gradW[l], count: shape.weights)
              (out + shape.weights).update(from: ws.gradB[l], count: shape.biases)
              out += shape.weights + shape.biases
            }
          }
        }
      }
    }
    // Sum in block order: the first block's, then each next one added.
    blockGradients.withUnsafeBufferPointer { gradients in
      for b in 0..<count {
        var from = gradients.baseAddress! + b * stride
        for (l, shape) in shapes.enumerated() {
          let (sumW, sumB) = (workspace.sumW[l], workspace.sumB[l])
          if b == 0 {
            sumW.update(from: from, count: shape.weights)
            sumB.update(from: from + shape.weights, count: shape.biases)
          } else {
            for i in 0..<shape.weights { sumW[i] += from[i] }
            for j in 0..<shape.biases { sumB[j] += from[shape.weights + j] }
          }
          from += shape.weights + shape.biases
        }
      }
    }
  }

  /// A trainer that carries on from this one on other data: the same parameters, iteration,
  /// settings and generator (for points added or removed by hand).
  public func continuing(on data: Dataset) -> Trainer {
    let next = Trainer(network: network, data: data, test: test, config: config, rng: rng)
    next.iteration = iteration
    next.measuresLoss = measuresLoss
    next.parallel = parallel
    next.optimizerState = optimizerState
    return next
  }

  /// Replaces the parameters (same shapes), e.g. when a saved model is loaded.
  public func load(_ network: Network) {
    precondition(network.sizes == self.network.sizes, "shapes must match")
    self.network = network
  }
}
