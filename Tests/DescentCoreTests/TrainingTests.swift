@testable import DescentCore
import Foundation
import Testing

@Suite("The post's training run")
struct TrainingTests {
  /// The post's run: the loss printed every 1000 iterations, after that iteration's update.
  static func postLog() -> (lines: [String], trainer: Trainer) {
    let trainer = try! RunSetup.post.makeTrainer()
    var lines: [String] = []
    for i in 0..<20000 {
      trainer.step()
      if i % 1000 == 0 { lines.append(String(format: "Loss after iteration %d: %f", i, trainer.loss())) }
    }
    return (lines, trainer)
  }

  @Test func printsThePostsLog() {
    let (lines, trainer) = Self.postLog()
    let numpy = Fixtures.text("post-log-numpy.txt").split(separator: "\n").map(String.init)
    // Iterations 0 and 1000 match the post (2015) and today's numpy to all six printed decimals.
    #expect(lines[0] == "Loss after iteration 0: 0.432387")
    #expect(lines[1] == "Loss after iteration 1000: 0.068947")
    #expect(Array(lines[0..<2]) == Array(numpy[0..<2]))
    // Iteration 2000 is mid-way into the two-state oscillation; the 2015 run and today's numpy
    // differ there too (0.068936 and 0.068888).
    let at2000 = Double(lines[2].split(separator: " ").last!)!
    #expect(at2000 > 0.0688 && at2000 < 0.0691)
    // From 3000 on, every value is on one of the two states, the 2015 run's or today's numpy's.
    let post2015 = [
      0.071218, 0.071253, 0.071278, 0.071293, 0.071303, 0.071308, 0.071312, 0.071314, 0.071315, 0.071315,
      0.071316, 0.071316, 0.071316, 0.071316, 0.071316, 0.071316, 0.071316,
    ]
    for (k, line) in lines.enumerated().dropFirst(3) {
      let value = line.split(separator: " ").last!
      let today = numpy[k].split(separator: " ").last!
      #expect(value == today || Double(value)! == post2015[k - 3], "\(line)")
    }
    #expect(String(format: "%.6f", trainer.loss()) == "0.071316")
    #expect(trainer.network.accuracy(on: trainer.data) == 0.975)
  }

  /// The one-pass kernel reads the trainer's parameters under mutable access
  /// (`gradientsOfOwnParameters`), which copies arrays a handed-out network shares: a network
  /// handed out mid-run (as the dashboard's snapshots are) keeps its numbers while the trainer goes
  /// on, and the run is the same to the bit as one that handed nothing out, with dropout too (at 16
  /// units its draws go to the second thread when that is free). A guard for any later change that
  /// keeps the parameters' pointers across steps: one that kept W1's fails every case.
  @Test(arguments: [(3, 0.0), (3, 0.2), (16, 0.2)])
  func aNetworkHandedOutKeepsItsNumbers(hidden: Int, dropout: Double) throws {
    var setup = RunSetup.post
    setup.hidden = hidden
    setup.training.dropout = dropout
    let (handing, alone) = (try setup.makeTrainer(), try setup.makeTrainer())
    (handing.parallel, alone.parallel) = (true, true)
    #expect(handing.network.trainsInOnePass)
    func bits(_ network: Network) -> [UInt64] {
      network.layers.flatMap { ($0.W.storage + $0.b).map(\.bitPattern) }
    }
    var handedOut: [(network: Network, bits: [UInt64])] = []
    for i in 1...300 {
      handing.step()
      alone.step()
      if i % 50 == 0 { handedOut.append((handing.network, bits(handing.network))) }
    }
    #expect(bits(handing.network) == bits(alone.network))
    for (network, before) in handedOut { #expect(bits(network) == before) }
    #expect(Set(handedOut.map(\.bits)).count == handedOut.count, "each a different point of the run")
  }

  @Test func lossIsTheOscillationThePostDescribes() {
    let trainer = try! RunSetup.post.makeTrainer()
    trainer.train(19998)
    let a = trainer.loss()
    trainer.step()
    let b = trainer.loss()
    trainer.step()
    #expect(abs(trainer.loss() - a) < 1e-9)
    #expect(Set([String(format: "%.6f", a), String(format: "%.6f", b)]) == ["0.070758", "0.071316"])
  }

  @Test func minibatchIsSeededAndCoversEveryPointEachEpoch() throws {
    var setup = RunSetup.post
    setup.training.batchSize = 32
    let a = try setup.makeTrainer()
    let b = try setup.makeTrainer()
    a.train(500)
    b.train(500)
    #expect(a.network == b.network)
    #expect(a.loss() < 0.2)
    setup.seed = 1
    let c = try setup.makeTrainer()
    c.train(500)
    #expect(c.network != a.network)
  }

  /// Minibatches draw without replacement: each epoch, every point exactly once (the points'
  /// x1 is their row number, read back from the batch the trainer stepped on).
  @Test func minibatchesTakeEveryPointOnceAnEpoch() {
    var X = Matrix(rows: 12, cols: 2)
    for i in 0..<12 { X[i, 0] = Double(i) }
    let data = Dataset(X: X, y: (0..<12).map { $0 % 2 })
    let trainer = Trainer(
      network: Network(sizes: [2, 3, 2], seed: 0), data: data, config: TrainingConfig(batchSize: 4),
      rng: RandomState(seed: 0))
    var epochs: [[Double]] = []
    for _ in 0..<4 {
      var drawn: [Double] = []
      for _ in 0..<3 {
        trainer.step()
        drawn += (0..<4).map { trainer.workspace.batchX[$0 * 2] }
      }
      #expect(drawn.sorted() == (0..<12).map(Double.init), "\(drawn)")
      epochs.append(drawn)
    }
    #expect(Set(epochs.map { $0.map(Int.init) }).count > 1, "shuffled again each epoch")
  }

  /// `--weight-seed` starts the weights elsewhere and leaves the points as the seed made them.
  @Test func theWeightSeedChangesTheWeightsNotTheData() throws {
    var setup = RunSetup.post
    setup.weightSeed = 7
    let seeded = try setup.makeTrainer()
    let post = try RunSetup.post.makeTrainer()
    #expect(seeded.data == post.data)
    #expect(seeded.network != post.network)
    setup.weightSeed = 0
    #expect(try setup.makeTrainer().network == post.network)
  }

  @Test func annealingShrinksTheStep() {
    let config = TrainingConfig(epsilon: 0.1, anneal: 0.5)
    #expect(config.epsilon(at: 0) == 0.1)
    #expect(config.epsilon(at: 2) == 0.1 / 2)
    var setup = RunSetup.post
    setup.training.anneal = 0.001
    let annealed = try! setup.makeTrainer()
    annealed.train(2000)
    let fixed = try! RunSetup.post.makeTrainer()
    fixed.train(2000)
    #expect(annealed.network != fixed.network)
  }

  @Test func meanGradientTrainsLargeDataThatSumDiverges() throws {
    var setup = RunSetup.post
    setup.samples = 20000
    setup.training.epsilon = 0.5
    let summed = try setup.makeTrainer()
    #expect(summed.train(50) == false || !summed.loss().isFinite || summed.loss() > 0.5)
    setup.training.gradient = .mean
    let mean = try setup.makeTrainer()
    #expect(mean.train(300))
    #expect(mean.loss() < 0.35)
  }

  @Test(arguments: Activation.allCases)
  func deeperNetworksLearnThreeClasses(activation: Activation) throws {
    var setup = RunSetup()
    setup.source = .generated(.blobs)
    setup.classes = 3
    setup.layers = 2
    setup.hidden = 8
    setup.activation = activation
    setup.training = TrainingConfig(epsilon: 0.1, lambda: 0.001, gradient: .mean)
    let trainer = try setup.makeTrainer()
    let before = trainer.loss()
    trainer.train(1000)
    #expect(trainer.loss() < before / 2)
    #expect(trainer.network.accuracy(on: trainer.data) > 0.9)
  }

  @Test func divergenceIsReportedAtTheStep() {
    var setup = RunSetup.post
    setup.training.epsilon = 100
    setup.training.lambda = 100
    let trainer = try! setup.makeTrainer()
    var diverged = false
    for _ in 0..<100 where !trainer.step() {
      diverged = true
      break
    }
    #expect(diverged)
    // Noticed when the loss stops being finite, which may be before a parameter does.
    #expect(!trainer.network.isFinite || !trainer.loss().isFinite)
  }

  /// The step's check of each row's probability of its own class, in every kernel build: one
  /// that is not above 0, in any place of a group of lanes or of the rows after the last group,
  /// is found.
  @Test(arguments: KernelSet.runnable.map(\.name))
  func everyProbabilityMustBeAboveZero(build: String) {
    let kernels = KernelSet.runnable.first { $0.name == build }!
    func check(_ values: [Double]) -> Bool {
      values.withUnsafeBufferPointer { kernels.allPositive($0.baseAddress!, $0.count) }
    }
    let fine: [Double] = [1e-300, .leastNonzeroMagnitude, 0.5, 1, .greatestFiniteMagnitude, .infinity]
    for count in [1, 7, 8, 9, 15, 16, 17, 200, 203] {
      let values = (0..<count).map { fine[$0 % fine.count] }
      #expect(check(values), "\(count)")
      for bad in [0.0, -0.0, -.leastNonzeroMagnitude, -1, -.infinity, .nan, -.nan] {
        for place in Set([0, count / 2, count - 1]) {
          var broken = values
          broken[place] = bad
          #expect(!check(broken), "\(bad) at \(place) of \(count)")
        }
      }
    }
  }

  @Test func softmaxDoesNotOverflowOnHugeScores() {
    var network = Network(sizes: [2, 3, 2], seed: 0)
    network.layers[1].b = [1000, 0]
    let probs = network.probabilities(Matrix([[0.5, 0.5]]))
    #expect(probs.storage == [1, 0])
  }
}

@Suite("Gradient check")
struct GradientCheckTests {
  @Test func everyActivationDepthAndClassCount() {
    let results = GradientCheck.standardCases()
    #expect(results.count == 27)
    for r in results {
      #expect(r.worstRelativeError < 1e-6, "\(r.activation) \(r.hiddenLayers) layers \(r.classes) classes")
    }
  }

  /// The check is handed gradients known to be wrong: without the penalty's share, and with one
  /// bias 1% off (caught in that layer's biases only); the right one passes.
  @Test func aWrongGradientIsCaught() {
    var rng = RandomState(seed: 1)
    let data = Dataset.spiral(24, arms: 2, noise: 0.2, rng: &rng)
    let network = Network(sizes: [2, 4, 2], seed: 0)
    func check(_ analytic: [Layer]) -> [(weights: Double, biases: Double)] {
      GradientCheck.worstRelativeErrors(network, on: data, lambda: 0.5, analytic: analytic)
    }
    let right = network.gradient(on: data, lambda: 0.5)
    #expect(check(right).allSatisfy { max($0.weights, $0.biases) < 1e-6 })
    #expect(check(network.gradient(on: data, lambda: 0)).contains { $0.weights > 1e-2 })
    var nudged = right
    nudged[1].b[0] *= 1.01
    let errors = check(nudged)
    #expect(errors[1].biases > 1e-3 && errors[1].weights < 1e-6 && errors[0].biases < 1e-6)
  }

  /// A check told to stop compares no more parameters: with a gradient wrong in the last layer,
  /// stopped after the first layer's 12 parameters it reports nothing of the second; let go on,
  /// it catches it.
  @Test func aStoppedCheckGoesNoFurther() {
    var rng = RandomState(seed: 1)
    let data = Dataset.spiral(24, arms: 2, noise: 0.2, rng: &rng)
    let network = Network(sizes: [2, 4, 2], seed: 0)
    var wrong = network.gradient(on: data, lambda: 0.5)
    wrong[1].W.storage[0] *= 1.01
    var asked = 0
    let stopped = GradientCheck.worstRelativeErrors(network, on: data, lambda: 0.5, analytic: wrong) {
      asked += 1
      return asked > 12
    }
    #expect(stopped[1].weights == 0 && stopped[0].weights > 0 && asked == 12 + 8 + 2)
    #expect(GradientCheck.worstRelativeErrors(network, on: data, lambda: 0.5, analytic: wrong)[1].weights > 1e-3)
  }
}

@Suite("Logistic regression baseline")
struct LogisticRegressionTests {
  @Test func matchesLogisticRegressionCVOnThePostsData() {
    let data = Dataset.generate(.moons, samples: 200, seed: 0)
    let model = LogisticRegression.fitCV(data)
    let expected = Fixtures.json("baseline")
    #expect(model.C == Double(expected["C"] as! String)!)
    #expect(model.accuracy(on: data) == 0.85)
  }

  @Test(arguments: [0, 1, 2] as [UInt32])
  func multinomialOnThreeBlobsMatchesScikitLearn(seed: UInt32) {
    let data = Dataset.generate(.blobs, samples: 150, classes: 3, seed: seed)
    let model = LogisticRegression.fitCV(data)
    let expected = Fixtures.json("baseline")["blobs3_seed\(seed)"] as! [String: String]
    #expect(abs(model.C - Double(expected["C"]!)!) < 1e-12 * model.C)
    #expect(model.accuracy(on: data) == Double(expected["accuracy"]!)!)
  }

  /// Above its limit (20,000 points in use) the baseline is fitted to that many rows spread evenly
  /// over the data, not to all of them: here a limit of 60 on 200 points.
  @Test func aLargeDataSetIsFittedOnRowsSpreadOverIt() {
    let data = Dataset.generate(.moons, samples: 200, seed: 0)
    let spread = LogisticRegression.limited(data, to: 60)
    #expect(spread.count == 60 && spread.X.storage.prefix(2) == data.X.storage.prefix(2))
    #expect(Array(spread.y.suffix(1)) == [data.y[59 * 200 / 60]])
    let limited = LogisticRegression.fitCV(data, features: .raw, limit: 60)
    #expect(limited == LogisticRegression.fitCV(spread, features: .raw))
    #expect(limited != LogisticRegression.fitCV(data, features: .raw))
    #expect(LogisticRegression.limited(data) == data)
  }

  @Test func stratifiedFoldsAsScikitLearn() {
    // StratifiedKFold(5).split on y = [0]*6 + [1]*4, read off scikit-learn.
    let y = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]
    #expect(LogisticRegression.stratifiedFolds(y, folds: 5) == [0, 0, 1, 2, 3, 4, 1, 2, 3, 4])
  }
}
