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
  /// Room for the largest weight matrix transposed (for `δ·Wᵀ`), and the same for a second
  /// thread working on other rows of the same pass.
  let transposed: UnsafeMutablePointer<Double>
  let helperTransposed: UnsafeMutablePointer<Double>
  /// Each hidden layer's slopes under dropout, `f'(a before its mask) · (1 or 0)`
  /// (`dropoutSlopes`), which backpropagation multiplies by.
  let slopes: [UnsafeMutablePointer<Double>]
  /// Each hidden layer's `z`, kept only for a misread derivative (`Misreading.derivativeOfZ`);
  /// made at its first use.
  private(set) var hiddenScores: [UnsafeMutablePointer<Double>] = []
  /// The rows of the current minibatch, gathered contiguously.
  let batchX: UnsafeMutablePointer<Double>
  var batchY: [Int]
  /// The minibatch's regression targets.
  var batchT: [Double]
  /// Scratch for the one-pass kernel of a one-hidden-layer network.
  let onePass: UnsafeMutablePointer<Double>
  /// Each row's probability of its own class, from the one-pass kernel (for the loss).
  let trueClass: UnsafeMutablePointer<Double>
  /// For one hidden layer on two threads by units: a1 and delta2 by blocks of units (each thread's
  /// units of every row together), each thread's columns of dW1, then dropout's slopes by blocks of
  /// units.
  let unitBlocks: UnsafeMutablePointer<Double>

  /// Buffers for passes of up to `capacity` rows, and minibatches of up to `batch` rows.
  init(sizes: [Int], capacity: Int, batch: Int = 0) {
    self.capacity = capacity
    self.sizes = sizes
    let widths = sizes.dropFirst()
    outputs = widths.map { .allocateOnCacheLine(capacity: capacity * $0) }
    deltas = widths.map { .allocateOnCacheLine(capacity: capacity * $0) }
    gradW = zip(sizes, widths).map { .allocateOnCacheLine(capacity: $0 * $1) }
    gradB = widths.map { .allocateOnCacheLine(capacity: $0) }
    sumW = zip(sizes, widths).map { .allocateOnCacheLine(capacity: $0 * $1) }
    sumB = widths.map { .allocateOnCacheLine(capacity: $0) }
    let largest = zip(sizes, widths).map { $0 * $1 }.max() ?? 1
    transposed = .allocateOnCacheLine(capacity: largest)
    helperTransposed = .allocateOnCacheLine(capacity: largest)
    slopes = widths.dropLast().map { .allocateOnCacheLine(capacity: capacity * $0) }
    batchX = .allocateOnCacheLine(capacity: max(1, batch) * sizes[0])
    batchY = [Int](repeating: 0, count: max(1, batch))
    batchT = [Double](repeating: 0, count: max(1, batch))
    let onePassSize =
      sizes.count == 3 && sizes[1] <= oneHiddenLayerUnits ? oneHiddenLayerScratch(rows: capacity, hidden: sizes[1]) : 1
    onePass = .allocateOnCacheLine(capacity: onePassSize)
    onePass.initialize(repeating: 0, count: onePassSize)
    trueClass = .allocateOnCacheLine(capacity: (capacity + laneCount - 1) / laneCount * laneCount)
    unitBlocks = .allocateOnCacheLine(capacity: sizes.count == 3 ? (3 * capacity + sizes[0]) * sizes[1] : 1)
  }

  deinit {
    for buffer in outputs + deltas + gradW + gradB + sumW + sumB + slopes + hiddenScores { buffer.deallocate() }
    batchX.deallocate()
    transposed.deallocate()
    helperTransposed.deallocate()
    onePass.deallocate()
    trueClass.deallocate()
    unitBlocks.deallocate()
  }

  /// Adds this block's `dW` and `db` to the sums (or starts them, for the first block).
  /// Room for each hidden layer's `z` (see `hiddenScores`).
  func keepHiddenScores() {
    guard hiddenScores.isEmpty else { return }
    hiddenScores = sizes.dropFirst().dropLast().map { .allocateOnCacheLine(capacity: capacity * $0) }
  }

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
