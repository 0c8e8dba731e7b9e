import DescentKernels
import Synchronization

/// The dropout masks of one training step, one per hidden layer, over every row of the batch:
/// `mask = (random_sample(a.shape) >= p) / (1 - p)`, drawn layer by layer from the input side.
public final class DropoutMasks {
  /// The hidden layers' widths.
  private let widths: [Int]
  private let capacity: Int
  private let masks: [UnsafeMutablePointer<Double>]
  /// The step's MT19937 words, two a draw, from `RandomState.nextWords`.
  private let words: UnsafeMutablePointer<UInt32>
  /// Whether each of the step's draws is kept, a bit a draw (`dropoutKeeps`), every layer's.
  private let keeps: UnsafeMutablePointer<UInt16>
  /// The value of a kept unit in this step's masks, 1 / (1 - p).
  private(set) var kept = 1.0
  /// The rows of the masks `prepare` has left to `draw(rows:)`.
  private var pending: Int?
  /// The draws `prepareLater` left to one of the step's threads, and the generator to make them
  /// from (set by `withGenerator`); whether a thread has taken them on, and whether they are made.
  private var later: (p: Double, rows: Int)?
  private var generator: UnsafeMutablePointer<RandomState>?
  private let drawsTaken = Atomic<Bool>(true)
  private let drawsMade = Atomic<Bool>(true)

  /// Room for masks over up to `rows` rows of hidden layers `widths` wide, and for their draws'
  /// bits (which the one-pass kernel reads instead of a mask).
  public init(widths: [Int], rows: Int) {
    self.widths = widths
    capacity = rows
    masks = widths.map { width in
      let room = rows * width
      let mask = UnsafeMutablePointer<Double>.allocate(capacity: room)
      mask.initialize(repeating: 0, count: room)
      return mask
    }
    let draws = rows * widths.reduce(0, +)
    let room = RandomState.wordRoom(2 * draws)
    words = .allocate(capacity: room)
    words.initialize(repeating: 0, count: room)
    // Readable a group of rows past the last, and a 64-bit word past that (`DropoutBits`).
    let keepsRoom = (draws + laneCount * (widths.max() ?? 0)) / 16 + 6
    keeps = .allocate(capacity: keepsRoom)
    keeps.initialize(repeating: 0, count: keepsRoom)
  }

  deinit {
    for mask in masks { mask.deallocate() }
    words.deallocate()
    keeps.deallocate()
  }

  /// Draws this step's masks for `rows` rows from `rng` (numpy's `random_sample((rows, width))`,
  /// row-major, first hidden layer first).
  public func draw(p: Double, rows: Int, rng: inout RandomState) {
    prepare(p: p, rows: rows, rng: &rng)
    draw(rows: 0..<rows)
    pending = nil
  }

  /// Draws this step's keeps or drops from `rng`, a bit each, and leaves the masks to
  /// `draw(rows:)`, which can go on two threads.
  func prepare(p: Double, rows: Int, rng: inout RandomState) {
    precondition(rows <= capacity, "more rows than the masks have room for")
    let draws = rows * widths.reduce(0, +)
    let first = rng.nextWords(2 * draws, into: words)
    KernelSet.chosen.dropoutKeeps(first, draws, UInt64((p * 9_007_199_254_740_992.0).rounded(.up)), keeps)
    kept = 1 / (1 - p)
    pending = rows
  }

  /// Leaves this step's draws for `rows` rows to be made by whoever first needs them, inside
  /// `withGenerator`: on two threads by units, the second as it starts, while the first computes.
  func prepareLater(p: Double, rows: Int) {
    later = (p, rows)
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

  /// Makes the draws `prepareLater` left, unless a thread has taken them on already.
  func makeDraws() {
    guard drawsTaken.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    else { return }
    if let later, let generator {
      prepare(p: later.p, rows: later.rows, rng: &generator.pointee)
      self.later = nil
    }
    drawsMade.store(true, ordering: .releasing)
  }

  /// The draws, made here if no thread has taken them on, or else waited for from the thread that
  /// did (which is running, having taken them on: never a wait on a thread not yet started).
  func awaitDraws() {
    makeDraws()
    while !drawsMade.load(ordering: .acquiring) {}
  }

  /// The masks of rows `range`, of every layer, from the draws `prepare` made (nothing once drawn
  /// by `draw(p:rows:rng:)`).
  func draw(rows range: Range<Int>) {
    if later != nil { makeDraws() }
    guard let pending else { return }
    var layerFirst = 0
    for (l, width) in widths.enumerated() {
      let count = range.count * width
      KernelSet.chosen.dropoutMask(
        keeps, layerFirst + range.lowerBound * width, count, masks[l] + range.lowerBound * width, count, 1,
        kept)
      layerFirst += pending * width
    }
  }

  /// The first hidden layer's draws as bits from row `row` on (the one-pass kernel's mask), from
  /// the draws `prepare` made.
  func bits(from row: Int) -> DropoutBits {
    if later != nil { makeDraws() }
    return (UnsafePointer(keeps), row * widths[0], kept)
  }

  /// Dropout on one thread's units `units` of the first hidden layer, over rows `rows`: `a ← a ·
  /// mask` and `slopes` for backpropagation (`dropoutSlopes`, `activation`'s derivative), both by
  /// row (`units.count` a row), from the draws `prepare` made (on this thread or, `makeDraws`, the
  /// other).
  func apply(
    rows: Range<Int>, units: Range<Int>, to a: UnsafeMutablePointer<Double>, slopes: UnsafeMutablePointer<Double>,
    activation: Activation
  ) {
    awaitDraws()
    precondition(pending != nil, "the draws are made first")
    let width = widths[0]
    KernelSet.chosen.dropoutSlopes(
      a, slopes, keeps, rows.lowerBound * width + units.lowerBound, width, units.count, rows.count, kept,
      activation.slope)
  }

  /// The masks from row `start` on, for one block of rows.
  func rows(from start: Int) -> DropoutRows {
    DropoutRows(masks: zip(masks, widths).map { UnsafePointer($0 + start * $1) }, source: self, first: start)
  }
}

/// The dropout masks of the rows one forward and backward pass works on.
struct DropoutRows {
  let masks: [UnsafePointer<Double>]
  /// Where the masks come from, and the row of its masks these start at.
  let source: DropoutMasks
  let first: Int

  /// Draws these rows' masks in `range`, when they were left to be drawn (`prepare`).
  func draw(rows range: Range<Int>) {
    source.draw(rows: first + range.lowerBound..<first + range.upperBound)
  }

  /// The first hidden layer's draws as bits, from these rows' first (the one-pass kernel's mask).
  func bits() -> DropoutBits { source.bits(from: first) }

  /// Dropout on the first hidden layer's units `units` of these rows' first `m`, `a` and `slopes`
  /// by row (`units.count` a row): see `DropoutMasks.apply`.
  func apply(
    rows m: Int, units: Range<Int>, to a: UnsafeMutablePointer<Double>, slopes: UnsafeMutablePointer<Double>,
    activation: Activation
  ) {
    source.apply(rows: first..<first + m, units: units, to: a, slopes: slopes, activation: activation)
  }

  /// The masks from row `start` of these on.
  func rows(from start: Int) -> DropoutRows {
    source.rows(from: first + start)
  }

  /// `a ← a · mask` for hidden layer `l`, keeping `a` before the mask in `unmasked`.
  @inline(__always)
  func apply(
    layer l: Int, to a: UnsafeMutablePointer<Double>, keeping unmasked: UnsafeMutablePointer<Double>, count: Int
  ) {
    KernelSet.chosen.applyDropout(a, masks[l], unmasked, count)
  }

  /// `δ ← δ · mask` for hidden layer `l`: backpropagation through the same mask.
  @inline(__always)
  func backward(layer l: Int, through delta: UnsafeMutablePointer<Double>, count: Int) {
    KernelSet.chosen.multiplyByMask(delta, masks[l], count)
  }
}
