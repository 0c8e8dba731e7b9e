import Testing

@testable import DescentCore

@Suite("Large batches in blocks")
struct BlockTests {
  @Test func aBatchLargerThanABlockStepsAlongTheWholeGradient() throws {
    var setup = RunSetup.post
    setup.samples = 10_000  // twenty blocks of at most 512 rows
    setup.hidden = 5
    let trainer = try setup.makeTrainer()
    let before = trainer.network
    let gradient = before.gradient(on: trainer.data, lambda: setup.training.lambda)  // one pass
    trainer.parallel = false
    trainer.step()
    #expect(trainer.lastBlocks == (count: 20, parallel: false))
    for (l, layer) in trainer.network.layers.enumerated() {
      for i in layer.W.storage.indices {
        let expected = before.layers[l].W.storage[i] - 0.01 * gradient[l].W.storage[i]
        #expect(abs(layer.W.storage[i] - expected) <= 1e-12 * max(1, abs(expected)))
      }
      for j in layer.b.indices {
        let expected = before.layers[l].b[j] - 0.01 * gradient[l].b[j]
        #expect(abs(layer.b[j] - expected) <= 1e-12 * max(1, abs(expected)))
      }
    }
  }

  /// With one block the step reads each row's probability of its own class where its pass left
  /// it: the measured loss is `calculate_loss`'s, step after step, in one pass (the post), layer
  /// by layer (two layers) and on two threads by units (one layer of 50).
  @Test(arguments: [(3, 1), (3, 2), (50, 1)])
  func measuredLossInOneBlockIsCalculateLoss(hidden: Int, layers: Int) throws {
    var setup = RunSetup.post
    (setup.hidden, setup.layers) = (hidden, layers)
    let trainer = try setup.makeTrainer()
    trainer.measuresLoss = true
    for _ in 0..<5 {
      let loss = trainer.loss()
      #expect(trainer.step())
      #expect(abs(trainer.lossBeforeLastStep! - loss) <= 1e-12, "\(layers) x \(hidden)")
    }
  }

  @Test func measuredLossMatchesCalculateLossAcrossBlocks() throws {
    var setup = RunSetup.post
    setup.samples = 9000
    let trainer = try setup.makeTrainer()
    trainer.measuresLoss = true
    let loss = trainer.loss()
    trainer.step()
    #expect(abs(trainer.lossBeforeLastStep! - loss) <= 1e-12)
  }

  @Test func probabilitiesInBlocksEqualOnePass() {
    let network = Network(sizes: [2, 7, 3], seed: 3)
    var rng = RandomState(seed: 1)
    let data = Dataset.spiral(10_000, arms: 3, noise: 0.2, rng: &rng)
    let probs = network.probabilities(data.X)
    let tail = network.probabilities(data.X.rows(Array(8000..<10_000)))
    #expect(Array(probs.storage[(8000 * 3)...]) == tail.storage)
  }
}

@Suite("Two threads, the same numbers")
struct ParallelTests {
  /// Blocks shared between two threads and summed in block order give the one-thread result to
  /// the last bit, loss included: layer by layer, and in one pass for the post's network.
  @Test(arguments: [RunSetup.Kind.tanh, .relu, .post])
  func parallelBlocksMatchOneThreadExactly(_ kind: RunSetup.Kind) throws {
    var setup = RunSetup.post
    setup.samples = 3000
    if kind != .post {
      setup.hidden = 20
      setup.layers = 2
    }
    setup.activation = kind == .relu ? .relu : .tanh
    setup.training.gradient = .mean
    let one = try setup.makeTrainer()
    let two = try setup.makeTrainer()
    #expect(one.network.trainsInOnePass == (kind == .post))
    one.parallel = false
    two.parallel = true
    one.measuresLoss = true
    two.measuresLoss = true
    for _ in 0..<30 {
      one.step()
      two.step()
      #expect(one.lossBeforeLastStep == two.lossBeforeLastStep)
    }
    // Six blocks of 512 rows or fewer, on one thread and on two.
    #expect(one.lastBlocks == (count: 6, parallel: false) && two.lastBlocks == (count: 6, parallel: true))
    #expect(one.network == two.network)
  }
}

extension ParallelTests {
  /// A batch of one block shared out between two threads (several hidden layers by rows, one by
  /// units) gives the one-thread result to the last bit, loss
  /// included: deep, wide, ReLU, dropout (with each activation, more than four inputs, blocks of
  /// units narrower than a vector), regression, three classes, odd row and unit counts.
  @Test(arguments: [
    (rows: 200, widths: [50], change: ""), (rows: 512, widths: [64], change: "sigmoid"),
    (rows: 37, widths: [200], change: ""), (rows: 333, widths: [20, 30, 10], change: "relu"),
    (rows: 200, widths: [30, 30], change: "dropout"), (rows: 150, widths: [40, 40], change: "regression"),
    (rows: 201, widths: [50], change: "adam"), (rows: 150, widths: [41], change: "regression"),
    (rows: 300, widths: [33], change: "spiral relu"), (rows: 200, widths: [50], change: "dropout"),
    (rows: 250, widths: [17], change: "blobs"),
    (rows: 201, widths: [37], change: "dropout"), (rows: 300, widths: [20], change: "five classes"),
    (rows: 256, widths: [24], change: "six inputs"), (rows: 200, widths: [50], change: "dropout relu"),
    (rows: 200, widths: [50], change: "dropout sigmoid"), (rows: 256, widths: [24], change: "dropout six inputs"),
    (rows: 256, widths: [17], change: "dropout"), (rows: 512, widths: [8], change: "dropout six inputs"),
  ])
  func oneBlockOnTwoThreadsMatchesOneThreadExactly(_ shape: (rows: Int, widths: [Int], change: String)) throws {
    var setup = RunSetup.post
    setup.samples = shape.rows
    setup.widths = shape.widths
    switch shape.change {
    case "sigmoid": setup.activation = .sigmoid
    case "relu": setup.activation = .relu
    case "dropout": setup.training.dropout = 0.3
    case "regression":
      setup.task = .regression
      setup.source = .generated(.sine)
    case "adam": setup.training.optimizer.kind = .adam
    case "spiral relu":
      setup.source = .generated(.spiral)
      setup.classes = 3
      setup.activation = .relu
    case "blobs":
      setup.source = .generated(.blobs)
      setup.classes = 4
    case "five classes":
      setup.source = .generated(.blobs)
      setup.classes = 5
    case "six inputs": setup.features = InputFeatures(list: [.x1, .x2, .x1sq, .x2sq, .x1x2, .sinx1])
    case "dropout relu", "dropout sigmoid":
      setup.training.dropout = 0.3
      setup.activation = shape.change == "dropout relu" ? .relu : .sigmoid
    case "dropout six inputs":
      setup.training.dropout = 0.3
      setup.features = InputFeatures(list: [.x1, .x2, .x1sq, .x2sq, .x1x2, .sinx1])
    default: break
    }
    let (one, two) = (try setup.makeTrainer(), try setup.makeTrainer())
    #expect(two.network.gainsFromTwoThreads(rows: shape.rows) && !two.network.trainsInOnePass)
    one.parallel = false
    two.parallel = true
    one.measuresLoss = true
    two.measuresLoss = true
    for _ in 0..<5 {
      #expect(one.step() == two.step())
      #expect(one.lossBeforeLastStep == two.lossBeforeLastStep)
    }
    #expect(one.network == two.network)
  }
}

extension ParallelTests {
  /// With dropout the second thread makes the step's draws as it starts; when the caller runs
  /// both halves itself (here: the second thread is held by an outer call, so it must), the first
  /// half makes them instead of waiting for a half not yet started, and the numbers are the same.
  @Test(.timeLimit(.minutes(1))) func aDropoutStepOnOneThreadMakesItsOwnDraws() throws {
    var setup = RunSetup.post
    setup.widths = [50]
    setup.training.dropout = 0.3
    let (one, held) = (try setup.makeTrainer(), try setup.makeTrainer())
    one.parallel = false
    held.parallel = true
    onTwoThreads { part in
      guard part == 0 else { return }
      for _ in 0..<3 { #expect(one.step() == held.step()) }
    }
    #expect(one.network == held.network)
  }
}

extension ParallelTests {
  /// With dropout the one-pass kernel hands the step's draws to the second thread while it makes
  /// the hidden layer (from `drawsForASecondThread` draws: five units at 200 rows), and waits for
  /// them before the masks: the same numbers as on one thread, and as when the second thread is
  /// held by an outer call and the kernel makes the draws itself.
  @Test(.timeLimit(.minutes(1)), arguments: [5, 16])
  func dropoutDrawsBesideTheOnePassKernel(units: Int) throws {
    var setup = RunSetup.post
    setup.widths = [units]
    setup.training.dropout = 0.2
    let (one, two, held) = (try setup.makeTrainer(), try setup.makeTrainer(), try setup.makeTrainer())
    #expect(two.network.trainsInOnePass && 200 * units >= DropoutMasks.drawsForASecondThread)
    one.parallel = false
    two.parallel = true
    held.parallel = true
    for _ in 0..<5 { #expect(one.step() == two.step()) }
    onTwoThreads { part in
      guard part == 0 else { return }
      for _ in 0..<5 { #expect(held.step()) }
    }
    #expect(one.network == two.network && one.network == held.network)
  }
}

extension RunSetup {
  /// Two hidden layers of 20 tanh or ReLU units, or the post's network (one pass).
  enum Kind: Sendable { case tanh, relu, post }
}
