@testable import DescentCore
import Foundation
import Testing

@Suite("One step taken apart (StepTrace)")
struct StepTraceTests {
  /// Setups whose one traced step must land on the trainer's parameters: the post (one-pass
  /// kernel), deeper networks of each activation, three classes, the mean gradient, annealing,
  /// and 700 points (summed in blocks, on one thread and on two).
  static let setups: [(name: String, setup: RunSetup)] = {
    var cases: [(String, RunSetup)] = [("post", .post)]
    var s = RunSetup.post
    s.layers = 3
    s.hidden = 5
    s.activation = .relu
    cases.append(("3x5 relu", s))
    s.activation = .sigmoid
    s.training.gradient = .mean
    cases.append(("3x5 sigmoid mean", s))
    s = RunSetup.post
    s.source = .generated(.spiral)
    s.classes = 3
    s.hidden = 8
    s.layers = 2
    s.training.anneal = 0.01
    cases.append(("spiral 3 classes, anneal", s))
    s = RunSetup.post
    s.samples = 700
    s.hidden = 20
    cases.append(("700 points", s))
    s.training.gradient = .mean
    s.layers = 2
    cases.append(("700 points, 2 layers, mean", s))
    // Issue 17's options, each on its own (the trainer's memory and masks are the step's).
    s = RunSetup.post
    s.features = InputFeatures(list: [.x1, .x2, .x1sq, .x2sq, .sinx1])
    cases.append(("features", s))
    s = RunSetup.post
    s.task = .regression
    s.source = .generated(.plane)
    s.widths = [6, 4]
    cases.append(("regression, 6,4", s))
    s = RunSetup.post
    s.training.regularization = .l1
    cases.append(("L1", s))
    for kind in [OptimizerKind.momentum, .nesterov, .adam] {
      s = RunSetup.post
      s.training.optimizer = Optimizer(kind)
      s.training.anneal = 0.001
      cases.append(("\(kind)", s))
    }
    s = RunSetup.post
    s.training.dropout = 0.3
    cases.append(("dropout, the post's shape (one pass)", s))
    s.layers = 2
    cases.append(("dropout", s))
    s.samples = 1100
    s.training.optimizer = Optimizer(.adam)
    cases.append(("dropout, adam, 1100 points", s))
    // One layer of 50 on two threads by units: the second thread's tanh and mask in one pass.
    s = RunSetup.post
    s.hidden = 50
    s.training.dropout = 0.3
    cases.append(("dropout, 200 x 50", s))
    for activation in [Activation.sigmoid, .relu] {
      s.activation = activation
      cases.append(("dropout, 200 x 50, \(activation)", s))
    }
    for misreading in [Misreading.derivativeOfZ, .noSubtraction, .wrongColumn] {
      s = RunSetup.post
      s.training.misreading = misreading
      cases.append(("\(misreading)", s))
    }
    return cases
  }()

  @Test(arguments: [0, 7])
  func tracedStepLandsOnTheTrainersStep(after warmup: Int) throws {
    for (name, setup) in Self.setups {
      for parallel in [false, true] {
        let trainer = try setup.makeTrainer()
        trainer.parallel = parallel
        trainer.train(warmup)
        let trace = trainer.traceNextStep(keeping: [3, 650])
        trainer.step()
        #expect(trace.updated == trainer.network, "\(name), after \(warmup) steps, parallel \(parallel)")
        #expect(trace.finite && trace.exact)
      }
    }
  }

  @Test func theArraysAreThePostsArrays() throws {
    let trainer = try RunSetup.post.makeTrainer()
    trainer.train(3)
    let trace = trainer.traceNextStep()
    let f = trace.forward
    let net = trainer.network
    let (W1, b1, W2, b2) = (net.layers[0].W, net.layers[0].b, net.layers[1].W, net.layers[1].b)
    #expect(f.z.count == 2 && f.a.count == 1 && trace.deltas.count == 2)
    #expect(f.z[0].rows == 200 && f.z[0].cols == 3 && f.probs.cols == 2)
    for r in [0, 17, 199] {
      for j in 0..<3 {
        // z1 = X.dot(W1) + b1, a1 = tanh(z1)
        let z1 = f.X[r, 0] * W1[0, j] + f.X[r, 1] * W1[1, j] + b1[j]
        #expect(abs(f.z[0][r, j] - z1) < 1e-15)
        #expect(abs(f.a[0][r, j] - tanh(z1)) < 1e-15)
      }
      let sum = f.expScores[r, 0] + f.expScores[r, 1]
      for k in 0..<2 {
        let z2 = (0..<3).reduce(0.0) { $0 + f.a[0][r, $1] * W2[$1, k] } + b2[k]
        #expect(abs(f.z[1][r, k] - z2) < 1e-14)
        #expect(abs(f.expScores[r, k] - exp(z2)) < 1e-14 * exp(z2))
        #expect(f.probs[r, k] == f.expScores[r, k] / sum)
        // delta3 = probs; delta3[range(N), y] -= 1
        #expect(trace.deltas[1][r, k] == f.probs[r, k] - (k == f.y[r] ? 1 : 0))
      }
      // delta2 = delta3.dot(W2.T) * (1 - a1²)
      for j in 0..<3 {
        let back = trace.deltas[1][r, 0] * W2[j, 0] + trace.deltas[1][r, 1] * W2[j, 1]
        #expect(abs(trace.deltas[0][r, j] - back * (1 - f.a[0][r, j] * f.a[0][r, j])) < 1e-15)
      }
    }
    // dW2 = a1ᵀ·delta3 is the sum of the rows' terms; db2 the sum of delta3's rows.
    let terms = (0..<200).map(trace.rowTerms)
    for l in 0..<2 {
      let sumW = terms.reduce(into: [Double](repeating: 0, count: terms[0][l].W.storage.count)) { acc, t in
        for i in acc.indices { acc[i] += t[l].W.storage[i] }
      }
      for i in sumW.indices { #expect(abs(sumW[i] - trace.dataGradients[l].W.storage[i]) < 1e-12) }
    }
    // The regularization term and the update.
    #expect(trace.regularization[1][2, 1] == 0.01 * W2[2, 1])
    #expect(trace.gradients[1].W[2, 1] == trace.dataGradients[1].W[2, 1] + 0.01 * W2[2, 1])
    #expect(trace.updated.layers[1].W[2, 1] == W2[2, 1] + -0.01 * trace.gradients[1].W[2, 1])
    #expect(trace.updated.layers[0].b[1] == b1[1] + -0.01 * trace.gradients[0].b[1])
    // The loss of each row, and the forward trace of other points (test points) agrees.
    #expect(abs(f.negativeLogProbabilities.reduce(0, +) / 200 - net.loss(on: trainer.data, lambda: 0)) < 1e-14)
    let some = trainer.data.subset([5, 9])
    let alone = net.forwardTrace(some)
    #expect(alone.probs.storage == Array(f.probs.storage[10..<12]) + Array(f.probs.storage[18..<20]))
  }

  /// With dropout the trace shows each hidden layer's `a` before its mask and the mask itself:
  /// the masks are `random_sample` draws of the step's generator, layer by layer, compared with p
  /// (rows of the first block and of the third, kept from 1,100), and the next layer's `z` is
  /// `(a ∘ mask)·W + b`.
  @Test func dropoutShowsTheStepsMasksAndTheActivationsBeforeThem() throws {
    var setup = RunSetup.post
    setup.samples = 1100
    setup.layers = 2
    setup.hidden = 6
    setup.training.dropout = 0.3
    let trainer = try setup.makeTrainer()
    trainer.train(2)
    var generator = trainer.rng
    let draws = (0..<2 * 1100 * 6).map { _ in generator.randomSample() }
    let kept = [3, 650, 1099]
    let trace = trainer.traceNextStep(keeping: kept)
    let f = trace.forward
    let net = trainer.network
    #expect(f.rows == kept && f.masks.count == 2 && f.a.count == 2)
    for l in 0..<2 {
      for (k, r) in kept.enumerated() {
        for j in 0..<6 {
          let expected = draws[l * 1100 * 6 + r * 6 + j] >= 0.3 ? 1 / (1 - 0.3) : 0
          #expect(f.masks[l][k, j] == expected, "layer \(l + 1), row \(r), unit \(j)")
          #expect(abs(f.a[l][k, j] - tanh(f.z[l][k, j])) < 1e-15)
        }
        for c in 0..<net.layers[l + 1].W.cols {
          let z = (0..<6).reduce(0.0) { $0 + f.a[l][k, $1] * f.masks[l][k, $1] * net.layers[l + 1].W[$1, c] }
          #expect(abs(f.z[l + 1][k, c] - (z + net.layers[l + 1].b[c])) < 1e-13)
        }
      }
    }
  }

  /// The typo thread's derivative, `1 - z1²`, goes through the same dropout mask as the post's:
  /// delta2 = delta3.dot(W2.T) * (1 - z1²) * mask1.
  @Test func aMisreadDerivativeGoesThroughTheDropoutMask() throws {
    var setup = RunSetup.post
    setup.hidden = 20
    setup.training.dropout = 0.4
    setup.training.misreading = .derivativeOfZ
    let trainer = try setup.makeTrainer()
    trainer.train(3)
    let trace = trainer.traceNextStep()
    let (f, W2) = (trace.forward, trainer.network.layers[1].W)
    var dropped = 0
    for r in 0..<200 {
      for j in 0..<20 {
        let back = trace.deltas[1][r, 0] * W2[j, 0] + trace.deltas[1][r, 1] * W2[j, 1]
        let expected = back * (1 - f.z[0][r, j] * f.z[0][r, j]) * f.masks[0][r, j]
        #expect(abs(trace.deltas[0][r, j] - expected) <= 1e-15 * max(1, abs(expected)), "row \(r), unit \(j)")
        if f.masks[0][r, j] == 0 { dropped += 1 }
      }
    }
    #expect((1200...2000).contains(dropped))
    trainer.step()
    #expect(trace.updated == trainer.network)
  }
}
