import Foundation
import Testing

@testable import DescentCore

/// MT19937's twist and dropout's masks from every kernel build this CPU runs, against MT19937 as
/// its authors wrote it (one word at a time, indices mod 624) and `random_sample() >= p` one
/// draw at a time.
@Suite("Dropout masks in every kernel build")
struct DropoutMaskTests {
  /// MT19937 as in the reference code: `init_genrand`, then `genrand_int32`.
  struct Reference {
    var mt = [UInt32](repeating: 0, count: 624)
    var index = 624

    init(seed: UInt32) {
      mt[0] = seed
      for i in 1..<624 { mt[i] = 1_812_433_253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i) }
    }

    static func twist(_ mt: inout [UInt32]) {
      for i in 0..<624 {
        let y = (mt[i] & 0x8000_0000) | (mt[(i + 1) % 624] & 0x7FFF_FFFF)
        mt[i] = mt[(i + 397) % 624] ^ (y >> 1) ^ (y % 2 == 1 ? 0x9908_B0DF : 0)
      }
    }

    mutating func next() -> UInt32 {
      if index >= 624 {
        Self.twist(&mt)
        index = 0
      }
      var y = mt[index]
      index += 1
      y ^= y >> 11
      y ^= (y << 7) & 0x9D2C_5680
      y ^= (y << 15) & 0xEFC6_0000
      y ^= y >> 18
      return y
    }

    /// `random_sample()`: 53 bits from two words.
    mutating func sample() -> Double {
      let a = Double(next() >> 5)
      let b = Double(next() >> 6)
      return (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }
  }

  @Test func theReferenceIsNumpys() {
    var reference = Reference(seed: 0)
    #expect((0..<10).map { _ in Int(reference.next()) } == Fixtures.ints(Fixtures.rng["raw_seed0"]))
  }

  /// The words in a row, made in pieces that start and end anywhere, are the reference's states
  /// one after another.
  @Test(arguments: KernelSet.runnable.map(\.name))
  func wordsAreTheReferenceTwists(build: String) {
    let kernels = KernelSet.runnable.first { $0.name == build }!
    var expected = Reference(seed: 5489).mt
    var words = expected + [UInt32](repeating: 0, count: 3 * 624 + 5)
    words.withUnsafeMutableBufferPointer { w in
      for (from, to) in [(624, 631), (631, 1500), (1500, 1501), (1501, 4 * 624 + 5)] {
        kernels.words(w.baseAddress!, from, to)
      }
    }
    for state in 1...3 {
      Reference.twist(&expected)
      #expect(Array(words[624 * state..<624 * (state + 1)]) == expected, "\(build): state \(state)")
    }
    Reference.twist(&expected)
    #expect(Array(words[(4 * 624)...]) == Array(expected[..<5]), "\(build): the first words of state 4")
  }

  /// From every word offset mod 16 and near a twist (a draw's two words straddling it), counts
  /// that end mid-vector, p on a draw exactly, the draws made in two parts as two threads make
  /// them; the generator goes on where the reference does.
  @Test(arguments: KernelSet.runnable.map(\.name))
  func masksAreTheDrawsOneAtATime(build: String) {
    let kernels = KernelSet.runnable.first { $0.name == build }!
    for wordsFirst in [0, 1, 5, 15, 16, 17, 300, 607, 608, 609, 622, 623, 624] {
      var reference = Reference(seed: 11)
      var rng = RandomState(seed: 11)
      for _ in 0..<wordsFirst {
        _ = reference.next()
        _ = rng.nextUInt32()
      }
      var boundary = reference
      for _ in 0..<40 { _ = boundary.next() }
      let exact = boundary.sample()
      for (count, p) in [(1, 0.5), (7, 0.2), (700, exact), (2001, 0.9), (313, 0.0), (64, exact.nextUp), (1250, 0.3)] {
        let least = UInt64((p * 9_007_199_254_740_992.0).rounded(.up))
        let keep = 1 / (1 - p)
        let expected = (0..<count).map { _ in reference.sample() >= p ? keep : 0 }
        var keeps = [UInt16](repeating: 0, count: count / 16 + 2)
        rng.withNextWords(2 * count, kernels: kernels) { words in
          keeps.withUnsafeMutableBufferPointer { kernels.dropoutKeeps(words, count, least, $0.baseAddress!) }
        }
        let drawn = (0..<count).map { d in keeps[d >> 4] >> (d & 15) & 1 != 0 ? keep : 0 }
        #expect(drawn == expected, "\(build): \(count) draws after \(wordsFirst) words, p = \(p)")
      }
      #expect(rng.randomSample() == reference.sample(), "\(build): the next draw after \(wordsFirst) words")
    }
  }

  /// One thread's units of every row (a strided block of the draws) are masked by those draws of
  /// the whole mask (`dropoutSlopes` on ones leaves the mask), for blocks wider and narrower than
  /// a vector, and with p equal to a draw (a tie, which redoes the draws in full).
  @Test(arguments: KernelSet.runnable.map(\.name))
  func aBlockOfUnitsIsThoseDrawsOfEveryRow(build: String) {
    let kernels = KernelSet.runnable.first { $0.name == build }!
    let (rows, H) = (37, 50)
    var reference = Reference(seed: 21)
    var rng = RandomState(seed: 21)
    rng.withNextWords(2 * rows * H, kernels: kernels) { words in
      let samples = (0..<rows * H).map { _ in reference.sample() }
      for p in [0.2, samples[5 * H + 30], samples[11 * H + 44]] {
        let least = UInt64((p * 9_007_199_254_740_992.0).rounded(.up))
        var keeps = [UInt16](repeating: 0, count: rows * H / 16 + H + 6)
        keeps.withUnsafeMutableBufferPointer { kernels.dropoutKeeps(words, rows * H, least, $0.baseAddress!) }
        // Every row, and three rows of five units (fewer than sixteen values in all).
        for (units, m) in [
          (0..<25, rows), (25..<50, rows), (3..<20, rows), (40..<47, rows), (49..<50, rows), (0..<50, rows),
          (40..<45, 3),
        ] {
          var block = [Double](repeating: 1, count: m * units.count)
          var slopes = block
          kernels.dropoutSlopes(
            &block, &slopes, keeps, units.lowerBound, H, units.count, m, 1 / (1 - p), Activation.tanh.slope)
          let expected = (0..<m).flatMap { i in units.map { samples[i * H + $0] >= p ? 1 / (1 - p) : 0 } }
          #expect(block == expected, "\(build): units \(units) of \(m) rows, p = \(p)")
        }
      }
    }
  }
}

extension DropoutMaskTests {
  /// A block of every unit of its rows, whose draws follow one another, is masked as one long
  /// row: by those draws, for fewer than sixteen values in all, a multiple of sixteen, and rows
  /// past the first (draws that do not start on a sixteen).
  @Test(arguments: KernelSet.runnable.map { $0.name })
  func aBlockOfWholeRowsIsThoseDraws(build: String) {
    let kernels = KernelSet.runnable.first { $0.name == build }!
    let p = 0.4
    let least = UInt64((p * 9_007_199_254_740_992.0).rounded(.up))
    for (rows, H, from) in [(3, 5, 0), (16, 3, 0), (2, 3, 9), (7, 50, 5), (32, 4, 3)] {
      let count = (from + rows) * H
      var reference = Reference(seed: 8)
      var rng = RandomState(seed: 8)
      let samples = (0..<count).map { _ in reference.sample() }
      var keeps = [UInt16](repeating: 0, count: count / 16 + 16 + 6)
      rng.withNextWords(2 * count, kernels: kernels) { words in
        keeps.withUnsafeMutableBufferPointer { kernels.dropoutKeeps(words, count, least, $0.baseAddress!) }
      }
      var block = [Double](repeating: 1, count: rows * H)
      var slopes = block
      kernels.dropoutSlopes(&block, &slopes, keeps, from * H, H, H, rows, 1 / (1 - p), Activation.tanh.slope)
      let expected = (from * H..<count).map { samples[$0] >= p ? 1 / (1 - p) : 0 }
      #expect(block == expected, "\(build): \(rows) rows of \(H) from row \(from)")
    }
  }
}

extension DropoutMaskTests {
  /// The bits of `draws` draws against `p` from a generator seeded with `seed` (`dropoutKeeps`),
  /// with room to be read a few rows past the last.
  static func keeps(draws: Int, p: Double, seed: UInt32, kernels: KernelSet) -> [UInt16] {
    var rng = RandomState(seed: seed)
    var keeps = [UInt16](repeating: 0, count: draws / 16 + 64 + 6)
    rng.withNextWords(2 * draws, kernels: kernels) { words in
      let least = UInt64((p * 9_007_199_254_740_992.0).rounded(.up))
      keeps.withUnsafeMutableBufferPointer { kernels.dropoutKeeps(words, draws, least, $0.baseAddress!) }
    }
    return keeps
  }

  /// `dropoutSlopes` and `multiplyBySlopes` give, to the bit, what the mask does layer by layer:
  /// `a ∘ mask`, and `(δ ∘ f'(a)) ∘ mask` for δ of every kind (zeros of both signs, infinities,
  /// NaN, the largest doubles), for blocks of units wider and narrower than a vector, and outputs
  /// at the ends of each activation's range.
  @Test(arguments: KernelSet.runnable.map { $0.name })
  func slopesTimesTheKeptValueAreTheDerivativeThroughTheMask(build: String) {
    let kernels = KernelSet.runnable.first { $0.name == build }!
    let (rows, H, p) = (37, 50, 0.3)
    let keeps = Self.keeps(draws: rows * H, p: p, seed: 5, kernels: kernels)
    let deltas = [0.0, -0.0, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, -1e-300, 0.7, -2.5]
    for activation in [Activation.tanh, .sigmoid, .relu] {
      let ends: [Double] =
        switch activation {
        case .tanh: [1, -1, 0, -0.0, 0.999_999_999_999, .nan]
        case .sigmoid: [1, 0, 0.5, 1e-300, .nan]
        case .relu: [0, 3.5, 1e300, .nan]
        }
      for units in [0..<32, 32..<50, 3..<20, 40..<47, 0..<50] {
        let count = rows * units.count
        let a = (0..<count).map { i in
          i % 7 == 0 ? ends[i / 7 % ends.count] : activation == .tanh ? sin(Double(i)) : abs(sin(Double(i)))
        }
        let delta = (0..<count).map { i in i % 5 == 0 ? deltas[i / 5 % deltas.count] : cos(Double(i)) * 3 }
        // Layer by layer: the mask, a ∘ mask, then δ ∘ f'(a) and δ ∘ mask.
        let draws: [Int] = (0..<rows).flatMap { r in units.map { r * H + $0 } }
        let mask: [Double] = draws.map { d in keeps[d >> 4] >> (d & 15) & 1 != 0 ? 1 / (1 - p) : 0 }
        let masked = zip(a, mask).map { $0 * $1 }
        var expected: [Double] = delta
        activation.multiplyByDerivative(&expected, output: a, count: count)
        expected = zip(expected, mask).map { $0 * $1 }
        // In one pass, then the slopes times the kept value.
        var (outputs, slopes, deltaThrough) = (a, [Double](repeating: .nan, count: count), delta)
        keeps.withUnsafeBufferPointer { keeps in
          kernels.dropoutSlopes(
            &outputs, &slopes, keeps.baseAddress!, units.lowerBound, H, units.count, rows, 1 / (1 - p),
            activation.slope)
        }
        kernels.multiplyBySlopes(&deltaThrough, slopes, 1 / (1 - p), count)
        // Any value through the mask's pass comes out times the mask: the misread derivative's δ.
        var (deltaMasked, unread) = (delta, [Double](repeating: .nan, count: count))
        keeps.withUnsafeBufferPointer { keeps in
          kernels.dropoutSlopes(
            &deltaMasked, &unread, keeps.baseAddress!, units.lowerBound, H, units.count, rows, 1 / (1 - p),
            activation.slope)
        }
        let bits = { (values: [Double]) in values.map { $0.bitPattern } }
        #expect(bits(outputs) == bits(masked), "\(build) \(activation) \(units): a ∘ mask")
        #expect(bits(deltaThrough) == bits(expected), "\(build) \(activation) \(units): δ")
        #expect(bits(deltaMasked) == bits(zip(delta, mask).map { $0 * $1 }), "\(build) \(activation) \(units)")
      }
    }
  }
}

extension DropoutMaskTests {
  /// The forward pass's bias, tanh and mask in one pass (`addRowVectorThenTanhDropout`) give, to
  /// the bit, the outputs and slopes of `addRowVectorThenTanh` then `dropoutSlopes`: for one
  /// thread's units of every row (wider and narrower than a vector, one unit, a last few values),
  /// whole rows (from the first row and a later one, narrower than a vector too), fewer than
  /// sixteen values in all, and scores past tanh's clamp, infinite or NaN.
  @Test(arguments: KernelSet.runnable.map { $0.name })
  func biasTanhAndMaskInOnePassAreTheThreePasses(build: String) {
    let kernels = KernelSet.runnable.first { $0.name == build }!
    let p = 0.3
    let keeps = Self.keeps(draws: 37 * 50, p: p, seed: 12, kernels: kernels)
    let odd: [Double] = [25, -30, .infinity, -.infinity, .nan, 0, -0.0, 0x1p-1030, 21.9]
    // The layer's width, the block's units and rows, and the row it starts at.
    let blocks: [(H: Int, units: Range<Int>, rows: Int, from: Int)] = [
      (50, 0..<32, 37, 0), (50, 32..<50, 37, 0), (50, 3..<20, 37, 0), (50, 40..<47, 37, 0), (50, 49..<50, 37, 0),
      (50, 0..<50, 37, 0), (50, 40..<45, 3, 0), (50, 0..<50, 20, 17), (5, 0..<5, 30, 7), (5, 0..<5, 2, 3),
      (5, 1..<4, 9, 2),
    ]
    for (H, units, m, from) in blocks {
      let count = m * units.count
      let scores = (0..<count).map { i in i % 11 == 0 ? odd[i / 11 % odd.count] : sin(Double(i)) * 4 }
      let biases = units.map { cos(Double($0)) }
      let (first, keep) = (from * H + units.lowerBound, 1 / (1 - p))
      var (expected, expectedSlopes) = (scores, [Double](repeating: .nan, count: count))
      kernels.addRowVectorThenTanh(biases, &expected, m, units.count)
      kernels.dropoutSlopes(&expected, &expectedSlopes, keeps, first, H, units.count, m, keep, Activation.tanh.slope)
      var (outputs, slopes) = (scores, [Double](repeating: .nan, count: count))
      kernels.addRowVectorThenTanhDropout(biases, &outputs, &slopes, keeps, first, H, units.count, m, keep)
      let bits = { (values: [Double]) in values.map { $0.bitPattern } }
      let block = "\(build): units \(units) of \(H), \(m) rows from row \(from)"
      #expect(bits(outputs) == bits(expected), "\(block): a")
      #expect(bits(slopes) == bits(expectedSlopes), "\(block): slopes")
      // And the mask is the draws': a dropped unit's output is 0 (or NaN, from NaN), a kept one's not.
      let dropped = (0..<count).map { i in
        let d = first + i / units.count * H + i % units.count
        return keeps[d >> 4] >> (d & 15) & 1 == 0
      }
      #expect(zip(outputs, dropped).allSatisfy { ($0 == 0) == $1 || $0.isNaN }, "\(block): mask")
    }
  }
}
