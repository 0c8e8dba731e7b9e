import DescentKernels
import Synchronization

/// The dropout masks of one training step, one per hidden layer, over every row of the batch:
/// `mask = (random_sample(a.shape) >= p) / (1 - p)`, drawn layer by layer from the input side and
/// kept as a bit a draw (the kernels spread them over their lanes as they go).
public final class DropoutMasks {
  /// The hidden layers' widths.
  let widths: [Int]
  /// The draws a row of the batch takes: every hidden layer's units.
  let drawsPerRow: Int
  private let capacity: Int
  /// Whether each of the step's draws is kept, a bit a draw (`dropoutKeeps`), every layer's.
  private let keeps: UnsafeMutablePointer<UInt16>
  /// The value of a kept unit in this step's masks, 1 / (1 - p).
  private(set) var kept = 1.0
  /// The rows of this step's masks, once `draw` has made them.
  private var drawn: Int?
  /// The draws `prepareLater` left to one of the step's threads, and the generator to make them
  /// from (set by `withGenerator`); whether a thread has taken them on, and whether they are made.
  private var later: (p: Double, rows: Int)?
  private var generator: UnsafeMutablePointer<RandomState>?
  private let drawsTaken = Atomic<Bool>(true)
  private let drawsMade = Atomic<Bool>(true)

  /// Room for the draws of masks over up to `rows` rows of hidden layers `widths` wide.
  public init(widths: [Int], rows: Int) {
    self.widths = widths
    drawsPerRow = widths.reduce(0, +)
    capacity = rows
    let draws = rows * drawsPerRow
    // Readable a group of rows past the last, and a 64-bit word past that (`DropoutBits`).
    let keepsRoom = (draws + laneCount * (widths.max() ?? 0)) / 16 + 6
    keeps = .allocateOnCacheLine(capacity: keepsRoom)
    keeps.initialize(repeating: 0, count: keepsRoom)
  }

  deinit {
    keeps.deallocate()
  }

  /// Draws this step's masks for `rows` rows from `rng` (numpy's `random_sample((rows, width))`,
  /// row-major, first hidden layer first).
  public func draw(p: Double, rows: Int, rng: inout RandomState) {
    precondition(rows <= capacity, "more rows than the masks have room for")
    makeBits(p: p, rows: rows, rng: &rng)
    kept = 1 / (1 - p)
    drawn = rows
    later = nil
    drawsTaken.store(true, ordering: .releasing)
    drawsMade.store(true, ordering: .releasing)
  }

  /// The draws' bits into `keeps` (what `draw` makes, less `kept` and `drawn`).
  private func makeBits(p: Double, rows: Int, rng: inout RandomState) {
    let draws = rows * drawsPerRow
    let least = UInt64((p * 9_007_199_254_740_992.0).rounded(.up))
    rng.withNextWords(2 * draws) { KernelSet.chosen.dropoutKeeps($0, draws, least, keeps) }
  }

  /// Leaves this step's draws for `rows` rows to be made by whoever first needs them, inside
  /// `withGenerator`: on the second of two threads as it starts, while the first computes (by
  /// units, or the one-pass kernel's hidden layer). `kept` and the rows are set here, before
  /// either thread starts.
  func prepareLater(p: Double, rows: Int) {
    precondition(rows <= capacity, "more rows than the masks have room for")
    later = (p, rows)
    kept = 1 / (1 - p)
    drawn = rows
    drawsTaken.store(false, ordering: .releasing)
    drawsMade.store(false, ordering: .releasing)
  }

  /// Runs `body` with the draws `prepareLater` left to be made from `rng`.
  func withGenerator<R>(_ rng: inout RandomState, _ body: () -> R) -> R {
    withUnsafeMutablePointer(to: &rng) { rng in
      generator = rng
      defer { generator = nil }
      return body()
    }
  }

  /// How many draws `prepareLater` left that no thread has taken on yet (read before the step's
  /// threads start).
  var drawsLeft: Int {
    guard let later, !drawsTaken.load(ordering: .acquiring) else { return 0 }
    return later.rows * drawsPerRow
  }

  /// Whether the step's draws are made (by `draw`, or by a thread that took them on).
  var drawsAreMade: Bool { drawsMade.load(ordering: .acquiring) }

  /// The fewest draws worth handing to a second thread while the first makes the hidden layer:
  /// below, the hand-over costs more than the draws (measured at 200 rows on AVX-512: 0.93x the
  /// speed at three units, 0.99x at four, 1.05x at five, 1.18x at sixteen).
  static let drawsForASecondThread = 1000

  /// Makes the draws `prepareLater` left, unless a thread has taken them on already.
  func makeDraws() {
    guard drawsTaken.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    else { return }
    if let later, let generator { makeBits(p: later.p, rows: later.rows, rng: &generator.pointee) }
    drawsMade.store(true, ordering: .releasing)
  }

  /// The draws, made here if no thread has taken them on, or else waited for from the thread that
  /// did (which is running, having taken them on: never a wait on a thread not yet started).
  func awaitDraws() {
    makeDraws()
    while !drawsMade.load(ordering: .acquiring) {}
  }

  /// The index of hidden layer `l`'s draw for unit `unit` of row `row`.
  private func draw(layer l: Int, row: Int, unit: Int) -> Int {
    guard let drawn else { preconditionFailure("the draws are made first") }
    return widths[..<l].reduce(0, +) * drawn + row * widths[l] + unit
  }

  /// Row `row` of hidden layer `l`'s mask: `kept` or 0 for each unit.
  func mask(layer l: Int, row: Int) -> [Double] {
    awaitDraws()
    let first = draw(layer: l, row: row, unit: 0)
    return (first..<first + widths[l]).map { d in keeps[d >> 4] >> (d & 15) & 1 != 0 ? kept : 0 }
  }

  /// The first hidden layer's draws as bits from row `row` on (the one-pass kernel's mask), to be
  /// read once made (`awaitDraws`).
  func bits(from row: Int) -> DropoutBits { (UnsafePointer(keeps), row * widths[0], kept) }

  /// Dropout on units `units` of hidden layer `l` over rows `rows`: `a ← a · mask` and `slopes`
  /// for backpropagation (`dropoutSlopes`, `activation`'s derivative), both by row (`units.count`
  /// a row), from the draws `draw` made (on this thread or, `makeDraws`, the other). With
  /// `biases` (one per unit), `a` holds `X·W` and becomes `f(X·W + b)` first (`applyInPlace`),
  /// for tanh in the same pass.
  func apply(
    layer l: Int, rows: Range<Int>, units: Range<Int>, to a: UnsafeMutablePointer<Double>,
    slopes: UnsafeMutablePointer<Double>, activation: Activation, adding biases: UnsafePointer<Double>? = nil
  ) {
    awaitDraws()
    let (kernels, first) = (KernelSet.chosen, draw(layer: l, row: rows.lowerBound, unit: units.lowerBound))
    if let biases, activation == .tanh {
      kernels.addRowVectorThenTanhDropout(
        biases, a, slopes, keeps, first, widths[l], units.count, rows.count, kept)
      return
    }
    if let biases { activation.applyInPlace(a, adding: biases, m: rows.count, n: units.count) }
    kernels.dropoutSlopes(a, slopes, keeps, first, widths[l], units.count, rows.count, kept, activation.slope)
  }

  /// The masks from row `start` on, for one block of rows.
  func rows(from start: Int) -> DropoutRows {
    DropoutRows(source: self, first: start)
  }
}

/// The dropout masks of the rows one forward and backward pass works on.
struct DropoutRows {
  /// Where the masks come from, and the row of its masks these start at.
  let source: DropoutMasks
  let first: Int

  /// The value of a kept unit, 1 / (1 - p): backpropagation's `δ = (δ · slope) · kept`. Read
  /// after this thread's forward pass, whose masks waited for the draws.
  var kept: Double { source.kept }

  /// The first hidden layer's draws as bits, from these rows' first (the one-pass kernel's mask),
  /// to be read once made (`awaitDraws`).
  func bits() -> DropoutBits { source.bits(from: first) }

  /// Dropout on units `units` of hidden layer `l` (all of them unless given) over these rows'
  /// first `m`, `a` and `slopes` by row (`units.count` a row), after `f(a + biases)` when given:
  /// see `DropoutMasks.apply`.
  func apply(
    layer l: Int = 0, rows m: Int, units: Range<Int>? = nil, to a: UnsafeMutablePointer<Double>,
    slopes: UnsafeMutablePointer<Double>, activation: Activation, adding biases: UnsafePointer<Double>? = nil
  ) {
    let units = units ?? 0..<source.widths[l]
    source.apply(
      layer: l, rows: first..<first + m, units: units, to: a, slopes: slopes, activation: activation,
      adding: biases)
  }

  /// The masks from row `start` of these on.
  func rows(from start: Int) -> DropoutRows {
    source.rows(from: first + start)
  }
}
