import DescentKernels
import Foundation

/// A random generator that reproduces numpy's legacy `np.random.RandomState` draw for draw.
///
/// The post's numbers depend on `np.random.seed(0)`, so the generator is MT19937 seeded with
/// `init_genrand`, and every method below follows numpy's C sources (`randomkit`, `legacy-distributions.c`).
public struct RandomState: Sendable {
  /// The state in the first 624 words; after it, where a twist makes the next state (and
  /// `withNextWords` the states after that).
  private var mt = [UInt32](repeating: 0, count: 2 * 624)
  private var index = 624
  /// The second value of the last polar draw, which `gauss` hands out next (numpy's `has_gauss`).
  private var cachedGauss: Double?

  /// Seeds like `np.random.seed(seed)` for an integer seed: MT19937 `init_genrand`.
  public init(seed: UInt32) {
    mt[0] = seed
    for i in 1..<624 {
      mt[i] = 1_812_433_253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i)
    }
  }

  /// The next raw 32-bit output of MT19937 (`genrand_int32`).
  public mutating func nextUInt32() -> UInt32 {
    if index >= 624 { twist() }
    let y = mt.withUnsafeBufferPointer { $0[index] }
    index += 1
    return DescentKernels.temper(y)
  }

  /// The next 624 state words (`KernelSet.words`, then moved into place).
  private mutating func twist() {
    mt.withUnsafeMutableBufferPointer {
      KernelSet.chosen.words($0.baseAddress!, 624, 2 * 624)
      $0.baseAddress!.update(from: $0.baseAddress! + 624, count: 624)
    }
    index = 0
  }

  /// A double in [0, 1) with 53 random bits: `random_sample`.
  public mutating func randomSample() -> Double {
    let a = Double(nextUInt32() >> 5)
    let b = Double(nextUInt32() >> 6)
    return (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
  }

  /// Hands `body` the next `count` words, untempered, in a row, as `nextUInt32` would read them
  /// one at a time, and moves the generator past them: dropout's masks for a whole step at once,
  /// whose draws any thread can then temper on its own. The words are made in the generator's own
  /// room, after its state (room it keeps from then on: `count` words and three states, and the
  /// words are readable to the end of it), so a call copies one state, the last, to the front.
  mutating func withNextWords<R>(
    _ count: Int, kernels: KernelSet = .chosen, _ body: (UnsafePointer<UInt32>) -> R
  ) -> R {
    let end = index + count
    // The states after the present one, as many as the words reach into.
    let states = max(0, (end - 1) / 624)
    let room = count + 3 * 624
    if mt.count < room { mt += repeatElement(0, count: room - mt.count) }
    defer { index = end - 624 * states }
    return mt.withUnsafeMutableBufferPointer { mt in
      let words = mt.baseAddress!
      kernels.words(words, 624, 624 * (states + 1))
      defer { if states > 0 { words.update(from: words + 624 * states, count: 624) } }
      return body(UnsafePointer(words + index))
    }
  }

  /// `uniform(low, high)`: `low + (high - low) * random_sample()`.
  public mutating func uniform(_ low: Double, _ high: Double) -> Double {
    low + (high - low) * randomSample()
  }

  /// A standard normal draw by Marsaglia's polar method, caching the second value (`legacy_gauss`).
  public mutating func gauss() -> Double {
    if let cached = cachedGauss {
      cachedGauss = nil
      return cached
    }
    var x1 = 0.0
    var x2 = 0.0
    var r2 = 0.0
    repeat {
      x1 = 2.0 * randomSample() - 1.0
      x2 = 2.0 * randomSample() - 1.0
      r2 = x1 * x1 + x2 * x2
    } while r2 >= 1.0 || r2 == 0.0
    let f = (-2.0 * log(r2) / r2).squareRoot()
    cachedGauss = f * x1
    return f * x2
  }

  /// `normal(loc, scale)`: `loc + scale * gauss()`.
  public mutating func normal(_ loc: Double = 0, scale: Double) -> Double {
    loc + scale * gauss()
  }

  /// `randn(rows, cols)` filled row-major.
  public mutating func randn(_ rows: Int, _ cols: Int) -> Matrix {
    var m = Matrix(rows: rows, cols: cols)
    for i in 0..<m.storage.count { m.storage[i] = gauss() }
    return m
  }

  /// A uniform integer in `0...max` by masked rejection (numpy's legacy `random_interval`).
  public mutating func interval(_ max: Int) -> Int {
    if max == 0 { return 0 }
    var mask = UInt64(max)
    mask |= mask >> 1
    mask |= mask >> 2
    mask |= mask >> 4
    mask |= mask >> 8
    mask |= mask >> 16
    mask |= mask >> 32
    if max <= 0xFFFF_FFFF {
      while true {
        let value = UInt64(nextUInt32()) & mask
        if value <= UInt64(max) { return Int(value) }
      }
    }
    while true {
      let value = ((UInt64(nextUInt32()) << 32) | UInt64(nextUInt32())) & mask
      if value <= UInt64(max) { return Int(value) }
    }
  }

  /// Shuffles in place like `shuffle`: Fisher-Yates from the last index down to 1.
  public mutating func shuffle<T>(_ values: inout [T]) {
    guard values.count > 1 else { return }
    for i in stride(from: values.count - 1, through: 1, by: -1) {
      values.swapAt(i, interval(i))
    }
  }

  /// `permutation(n)`: a shuffled `arange(n)`.
  public mutating func permutation(_ n: Int) -> [Int] {
    var order = Array(0..<n)
    shuffle(&order)
    return order
  }
}
