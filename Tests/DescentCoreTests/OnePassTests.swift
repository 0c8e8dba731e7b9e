import Foundation
import Testing

@testable import DescentCore

/// The one-pass kernel for small one-hidden-layer networks gives the layer-by-layer kernels'
/// numbers to the last bit, in every build this CPU runs: gradients and each row's probability of
/// its own class.
@Suite("One pass: the post's network forward and back in one kernel")
struct OnePassTests {
  /// dW and db of both layers and each row's probability of its own class, from `Network.gradients`, with the rows by
  /// column (the one-pass kernel) or without (layer by layer).
  static func gradients(
    _ network: Network, _ data: Dataset, onePass: Bool, kernels: KernelSet = .chosen, dropout: DropoutMasks? = nil,
    maskRow: Int = 0
  ) -> [[UInt64]] {
    let ws = Workspace(sizes: network.sizes, capacity: data.count)
    let columns = onePass ? ColumnData(data, classes: network.classes) : nil
    var probabilities = [Double](repeating: .nan, count: data.count)
    data.X.storage.withUnsafeBufferPointer { X in
      probabilities.withUnsafeMutableBufferPointer { own in
        network.gradients(
          X.baseAddress!, labels: data.y, offset: 0, rows: data.count, columns: columns, in: ws,
          probabilities: own.baseAddress!, kernels: kernels, dropout: dropout?.rows(from: maskRow))
      }
    }
    let sizes = network.sizes
    var out: [[Double]] = []
    for l in 0..<2 {
      out.append(Array(UnsafeBufferPointer(start: ws.gradW[l], count: sizes[l] * sizes[l + 1])))
      out.append(Array(UnsafeBufferPointer(start: ws.gradB[l], count: sizes[l + 1])))
    }
    out.append(probabilities)
    return out.map { $0.map(\.bitPattern) }
  }

  /// A data set of `count` points with `features` features and `classes` classes, from a seed.
  static func data(count: Int, features: Int, classes: Int, seed: UInt32) -> Dataset {
    var rng = RandomState(seed: seed)
    let X = rng.randn(count, features)
    let y = (0..<count).map { i in Int(rng.randomSample() * Double(classes)) % classes }
    return Dataset(X: X, y: y, classes: classes)
  }

  @Test(
    "every shape it takes, tails of the eight-row groups included",
    arguments: [
      (2, 3, 2, 200), (2, 1, 2, 7), (2, 2, 2, 40), (2, 4, 2, 100), (1, 4, 3, 33), (4, 4, 4, 64), (3, 2, 4, 9),
      (2, 3, 2, 1), (4, 1, 2, 511), (2, 5, 2, 200), (2, 8, 2, 17), (2, 16, 2, 200), (3, 13, 4, 100),
      (2, 16, 2, 512), (4, 15, 3, 45), (1, 9, 2, 1), (2, 11, 2, 31), (3, 3, 2, 50), (4, 3, 2, 200), (3, 1, 2, 17),
      (1, 2, 2, 20),
    ])
  func sameBitsAsLayerByLayer(_ shape: (inputs: Int, hidden: Int, classes: Int, rows: Int)) {
    let data = Self.data(count: shape.rows, features: shape.inputs, classes: shape.classes, seed: UInt32(shape.rows))
    for activation in [Activation.tanh, .sigmoid] {
      let network = Network(sizes: [shape.inputs, shape.hidden, shape.classes], activation: activation, seed: 7)
      #expect(network.trainsInOnePass)
      let layered = Self.gradients(network, data, onePass: false)
      for kernels in KernelSet.runnable {
        #expect(
          Self.gradients(network, data, onePass: true, kernels: kernels) == layered,
          "\(shape), \(activation), \(kernels.name)")
      }
    }
  }

  /// Weights grown large (as the post's epsilon grows them at 1,000 points) put some of z1 past 22,
  /// where tanh takes its clamped path (out of line in the one-pass kernel, inline layer by
  /// layer), and a NaN input gives NaN: the same bits either way, in every build.
  @Test(arguments: [(2, 3, 200), (2, 4, 64), (2, 16, 45), (3, 9, 17)])
  func sameBitsWithZ1Past22(_ shape: (inputs: Int, hidden: Int, rows: Int)) {
    var data = Self.data(count: shape.rows, features: shape.inputs, classes: 2, seed: 3)
    var network = Network(sizes: [shape.inputs, shape.hidden, 2], seed: 5)
    network.layers[0].W.storage = network.layers[0].W.storage.map { $0 * 20 }
    let z1 = (0..<shape.rows).flatMap { r in
      (0..<shape.hidden).map { j in
        (0..<shape.inputs).reduce(network.layers[0].b[j]) { $0 + data.X[r, $1] * network.layers[0].W[$1, j] }
      }
    }
    let past = z1.filter { abs($0) > 22 }.count
    #expect(past > 0 && past < z1.count / 2, "\(past) of \(z1.count) past 22")
    for withNaN in [false, true] {
      if withNaN { data.X[shape.rows - 1, 0] = .nan }
      let layered = Self.gradients(network, data, onePass: false)
      for kernels in KernelSet.runnable {
        #expect(Self.gradients(network, data, onePass: true, kernels: kernels) == layered, "\(shape), \(kernels.name)")
        #expect(Self.gradients(network, data, onePass: false, kernels: kernels) == layered, "\(shape), \(kernels.name)")
      }
    }
  }

  /// One feature, `rows` values evenly from -1 to 1 (every third row of class 1), and the values.
  static func evenlyFromMinusOneToOne(rows: Int) -> (x: [Double], data: Dataset) {
    let x = (0..<rows).map { Double($0) / Double(rows - 1) * 2 - 1 }
    let y = (0..<rows).map { $0 % 3 == 0 ? 1 : 0 }
    return (x, Dataset(X: Matrix(rows: rows, cols: 1, storage: x), y: y, classes: 2))
  }

  /// Up to four units the kernel makes tanh in three stages (`tanhStart`), which have no clamp at
  /// 22: they give tanh's bits while |z1| is below 350, and the kernel takes them only where a
  /// bound on z1 (each feature's largest |x| and the weights) says so. With x from -1 to 1, z1
  /// out to ±340 goes through the stages; out to ±400, past where 2^k would overflow in them
  /// (about 354.6), through whole tanhs. The same bits as layer by layer either way.
  @Test(arguments: [340.0, 400.0])
  func tanhStagesGiveTheSameBitsOutToTheirLimit(largest: Double) {
    let (x, data) = Self.evenlyFromMinusOneToOne(rows: 200)
    var network = Network(sizes: [1, 3, 2], seed: 5)
    network.layers[0].W.storage = [largest, -largest * 0.6, 30]
    network.layers[0].b = [0, 2.5, -0.75]
    let z1 = x.flatMap { x in (0..<3).map { j in x * network.layers[0].W.storage[j] + network.layers[0].b[j] } }
    #expect(z1.contains { abs($0) > 22 && abs($0) < 300 } && z1.contains { abs($0) < 0.55 })
    #expect(z1.contains { abs($0) > 354.6 } == (largest > 350), "past the stages' range only without them")
    let layered = Self.gradients(network, data, onePass: false)
    for kernels in KernelSet.runnable {
      #expect(Self.gradients(network, data, onePass: true, kernels: kernels) == layered, "\(largest), \(kernels.name)")
    }
  }

  /// The kernel makes exp(z2) in two stages, without `shiftExtremeRows`' shift or exp's clamp,
  /// where a bound on the scores (|a1| at most 1, and W2 and b2) is below 690. Saturated units
  /// put scores out to ±680 (the stages), and out to ±720 (past 700, where a row is shifted: the
  /// checked exp), with and without dropout (whose masks scale a1 by 1 / (1 - p)): the same bits
  /// as layer by layer.
  @Test(arguments: [680.0, 720.0])
  func expStagesGiveTheSameBitsOutToTheirLimit(largest: Double) {
    let rows = 100
    let (x, data) = Self.evenlyFromMinusOneToOne(rows: rows)
    for p in [0, 0.5] {
      var network = Network(sizes: [1, 3, 2], seed: 5)
      network.layers[0].W.storage = [400, 300, 200]
      network.layers[0].b = [0.5, -0.5, 0.25]
      let c = (largest - 20) / 3 * (1 - p)
      network.layers[1].W.storage = [c, -c, c, -c, c, -c]
      network.layers[1].b = [20, -20]
      if p == 0 {
        let (W1, b1) = (network.layers[0].W.storage, network.layers[0].b)
        func score(_ x: Double) -> Double {
          var z = 20.0
          for j in 0..<3 { z += Foundation.tanh(x * W1[j] + b1[j]) * c }
          return z
        }
        let z2 = x.map(score)
        #expect(z2.contains { abs($0) > 650 } && z2.contains { abs($0) > 700 } == (largest > 690))
      }
      var masks: DropoutMasks?
      if p > 0 {
        masks = DropoutMasks(widths: network.hiddenSizes, rows: rows)
        var rng = RandomState(seed: 2)
        masks!.draw(p: p, rows: rows, rng: &rng)
      }
      let layered = Self.gradients(network, data, onePass: false, dropout: masks)
      for kernels in KernelSet.runnable {
        #expect(
          Self.gradients(network, data, onePass: true, kernels: kernels, dropout: masks) == layered,
          "\(largest), p \(p), \(kernels.name)")
      }
    }
  }

  /// dW and db of both layers after `forward` on `data`, then `backward` or `backwardInOnePass`.
  static func backwardGradients(
    _ network: Network, _ data: Dataset, targets: [Double]?, dropout: DropoutMasks?, onePass: KernelSet?
  ) -> [[UInt64]]? {
    let ws = Workspace(sizes: network.sizes, capacity: data.count)
    let rows = dropout?.rows(from: 0)
    var done = true
    data.X.storage.withUnsafeBufferPointer { X in
      let X = X.baseAddress!
      network.forward(X, rows: data.count, into: ws, dropout: rows)
      if let onePass {
        done = network.backwardInOnePass(
          X, labels: data.y, offset: 0, rows: data.count, in: ws, targets: targets, dropout: rows,
          misreading: .none, kernels: onePass)
      } else {
        network.backward(X, labels: data.y, rows: data.count, in: ws, targets: targets, dropout: rows)
      }
    }
    guard done else { return nil }
    let sizes = network.sizes
    var out: [[UInt64]] = []
    for l in 0..<2 {
      let weights = UnsafeBufferPointer(start: ws.gradW[l], count: sizes[l] * sizes[l + 1])
      let biases = UnsafeBufferPointer(start: ws.gradB[l], count: sizes[l + 1])
      out += [weights.map(\.bitPattern), biases.map(\.bitPattern)]
    }
    return out
  }

  /// Layer by layer, one hidden layer of tanh units (any units with dropout) and up to four inputs
  /// and classes backpropagates in one pass that makes delta2 as it sums (`backwardInOnePass`):
  /// the same bits as `backward`'s products and passes, in every build; other networks decline.
  @Test(
    arguments: [(2, 50, 2, 500), (2, 3, 2, 7), (4, 17, 4, 33), (1, 9, 3, 1), (3, 64, 2, 100), (2, 5, 1, 40)])
  func backwardInOnePassGivesBackwardsBits(_ shape: (inputs: Int, hidden: Int, classes: Int, rows: Int)) {
    let regression = shape.classes == 1
    let data = Self.data(count: shape.rows, features: shape.inputs, classes: max(2, shape.classes), seed: 9)
    let targets = regression ? (0..<shape.rows).map { Double($0 % 7) / 7 - 0.4 } : nil
    for (activation, p) in [(Activation.tanh, 0.0), (.tanh, 0.2), (.sigmoid, 0.5), (.relu, 0.3), (.sigmoid, 0)] {
      var network = Network(sizes: [shape.inputs, shape.hidden, shape.classes], activation: activation, seed: 4)
      if regression { network.task = .regression }
      var masks: DropoutMasks?
      if p > 0 {
        masks = DropoutMasks(widths: network.hiddenSizes, rows: shape.rows)
        var rng = RandomState(seed: 8)
        masks!.draw(p: p, rows: shape.rows, rng: &rng)
      }
      let expected = Self.backwardGradients(network, data, targets: targets, dropout: masks, onePass: nil)!
      for kernels in KernelSet.runnable {
        let onePass = Self.backwardGradients(network, data, targets: targets, dropout: masks, onePass: kernels)
        if activation == .sigmoid && p == 0 {
          #expect(onePass == nil, "sigmoid without dropout goes layer by layer")
        } else {
          #expect(onePass == expected, "\(shape), \(activation), p \(p), \(kernels.name)")
        }
      }
    }
    let deep = Network(sizes: [shape.inputs, 4, 4, shape.classes], seed: 4)
    #expect(Self.backwardGradients(deep, data, targets: targets, dropout: nil, onePass: .chosen) == nil)
  }

  /// With dropout the kernel multiplies a1 and delta2 by the same masks as layer by layer (and
  /// takes f' of a1 before its mask): the same bits, narrow and wide, tails of the groups included.
  @Test(arguments: [(2, 3, 200), (2, 1, 7), (4, 4, 33), (3, 2, 17), (2, 9, 200), (4, 16, 45), (1, 5, 1)])
  func dropoutGivesTheSameBitsAsLayerByLayer(_ shape: (inputs: Int, hidden: Int, rows: Int)) {
    let data = Self.data(count: shape.rows, features: shape.inputs, classes: 2, seed: UInt32(shape.rows))
    for (activation, p) in [(Activation.tanh, 0.2), (.sigmoid, 0.5)] {
      let network = Network(sizes: [shape.inputs, shape.hidden, 2], activation: activation, seed: 7)
      let masks = DropoutMasks(widths: network.hiddenSizes, rows: data.count)
      var rng = RandomState(seed: 3)
      masks.draw(p: p, rows: data.count, rng: &rng)
      let layered = Self.gradients(network, data, onePass: false, dropout: masks)
      #expect(layered != Self.gradients(network, data, onePass: false), "the masks change the gradient")
      for kernels in KernelSet.runnable {
        #expect(
          Self.gradients(network, data, onePass: true, kernels: kernels, dropout: masks) == layered,
          "\(shape), \(activation), \(kernels.name)")
      }
    }
  }

  /// The kernel reads the draws' bits from a block's first row on (a block of a large pass, or
  /// of a batch): the masks of rows 37 on, for three, four (a second word a group) and nine units.
  @Test(arguments: [3, 4, 9])
  func dropoutFromALaterRowGivesTheSameBits(hidden: Int) {
    let data = Self.data(count: 45, features: 2, classes: 2, seed: 11)
    let network = Network(sizes: [2, hidden, 2], seed: 7)
    let masks = DropoutMasks(widths: network.hiddenSizes, rows: 37 + data.count)
    var rng = RandomState(seed: 5)
    masks.draw(p: 0.3, rows: 37 + data.count, rng: &rng)
    let layered = Self.gradients(network, data, onePass: false, dropout: masks, maskRow: 37)
    #expect(layered != Self.gradients(network, data, onePass: false, dropout: masks), "other rows, other masks")
    for kernels in KernelSet.runnable {
      #expect(
        Self.gradients(network, data, onePass: true, kernels: kernels, dropout: masks, maskRow: 37) == layered,
        "\(kernels.name)")
    }
  }

  /// Scores past ±700 make softmax shift the row by its maximum first; the kernel does the same.
  @Test(arguments: [3, 12])
  func extremeScoresAreShiftedAsSoftmaxShiftsThem(hidden: Int) {
    let data = Self.data(count: 21, features: 2, classes: 2, seed: 5)
    var network = Network(sizes: [2, hidden, 2], seed: 1)
    for i in network.layers[1].W.storage.indices { network.layers[1].W.storage[i] *= 900 }
    network.layers[1].b = [300, -800]
    let layered = Self.gradients(network, data, onePass: false)
    #expect(layered.last!.contains { Double(bitPattern: $0) < 1e-40 }, "some rows are far from their class")
    for kernels in KernelSet.runnable {
      #expect(Self.gradients(network, data, onePass: true, kernels: kernels) == layered, "\(kernels.name)")
    }
  }

  /// A regression network (one linear output, delta3 = ŷ - y) gets the same bits in one pass.
  @Test(arguments: [(2, 3, 200), (4, 16, 45), (1, 9, 17), (2, 5, 1)])
  func regressionGivesTheSameBitsAsLayerByLayer(_ shape: (inputs: Int, hidden: Int, rows: Int)) {
    var rng = RandomState(seed: UInt32(shape.rows))
    let X = rng.randn(shape.rows, shape.inputs)
    let data = Dataset(X: X, targets: (0..<shape.rows).map { _ in rng.gauss() })
    for activation in [Activation.tanh, .sigmoid] {
      var weights = RandomState(seed: 7)
      let network = Network(
        sizes: [shape.inputs, shape.hidden, 1], activation: activation, task: .regression, rng: &weights)
      #expect(network.trainsInOnePass)
      func gradients(onePass: Bool, kernels: KernelSet) -> [[UInt64]] {
        let ws = Workspace(sizes: network.sizes, capacity: data.count)
        let columns = onePass ? ColumnData(data, classes: 1) : nil
        data.X.storage.withUnsafeBufferPointer { X in
          network.gradients(
            X.baseAddress!, labels: data.y, offset: 0, rows: data.count, columns: columns, in: ws,
            probabilities: nil, kernels: kernels, targets: data.targets)
        }
        let sizes = network.sizes
        var out: [[UInt64]] = []
        for l in 0..<2 {
          let dW = UnsafeBufferPointer(start: ws.gradW[l], count: sizes[l] * sizes[l + 1])
          out.append(dW.map(\.bitPattern))
          out.append(UnsafeBufferPointer(start: ws.gradB[l], count: sizes[l + 1]).map(\.bitPattern))
        }
        return out
      }
      let layered = gradients(onePass: false, kernels: .chosen)
      for kernels in KernelSet.runnable {
        #expect(gradients(onePass: true, kernels: kernels) == layered, "\(shape), \(activation), \(kernels.name)")
      }
    }
  }

  @Test func onlyOneHiddenLayerOfAtMost16TanhOrSigmoidUnitsGoesInOnePass() {
    #expect(Network(sizes: [2, 3, 2], activation: .tanh).trainsInOnePass)
    #expect(Network(sizes: [2, 16, 2], activation: .sigmoid).trainsInOnePass)
    #expect(!Network(sizes: [2, 3, 2], activation: .relu).trainsInOnePass)
    #expect(!Network(sizes: [2, 17, 2]).trainsInOnePass)
    #expect(!Network(sizes: [2, 5, 5]).trainsInOnePass)
    #expect(!Network(sizes: [2, 3, 3, 2]).trainsInOnePass)
    #expect(!Network(sizes: [5, 3, 2]).trainsInOnePass)
  }
}
