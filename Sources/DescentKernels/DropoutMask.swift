// Dropout's masks straight from MT19937's words: numpy's `random_sample(shape) >= p`, draw for
// draw, sixteen words (eight draws) to a vector. Integer work only, so every build gives
// the same masks; the wide builds just do more words an instruction.

/// Sixteen state words of MT19937, or the eight draws they make.
private typealias Words = SIMD16<UInt32>

/// MT19937's state: 624 words.
private let stateWords = 624

/// MT19937's tempering of a state word into an output (`RandomState`'s too).
@inlinable @inline(__always)
public func temper(_ word: UInt32) -> UInt32 {
  var y = word
  y ^= y >> 11
  y ^= (y << 7) & 0x9D2C_5680
  y ^= (y << 15) & 0xEFC6_0000
  y ^= y >> 18
  return y
}

/// The same, sixteen words at a time.
@inline(__always)
private func temper(_ word: Words) -> Words {
  var y = word
  y ^= y &>> 11
  y ^= (y &<< 7) & 0x9D2C_5680
  y ^= (y &<< 15) & 0xEFC6_0000
  y ^= y &>> 18
  return y
}

/// Words `start ..< end` of MT19937's output stream `w` before tempering, from the 624 before
/// them: the twist laid out in a row, w[n] = w[n - 227] ^ mix(w[n - 624], w[n - 623]) (word i of
/// a twist reads words i and i + 1 of the state before it and word i + 397, that is word i - 227
/// of the new state once i + 397 passes 623). Every word read is at least eight before the one
/// made, so eight at a time with no special case at the state's end. Eight, not sixteen: the
/// words read were stored a few vectors before, across two stores, and at sixteen those loads
/// wait for the stores to reach the cache (2.5 µs against 5.6 µs for 20,592 words, AVX-512).
public func mt19937Words(_ w: UnsafeMutablePointer<UInt32>, from start: Int, to end: Int) {
  typealias Eight = SIMD8<UInt32>
  precondition(start >= stateWords, "the 624 words before the first are the state")
  @inline(__always) func load(_ i: Int) -> Eight { UnsafeRawPointer(w + i).loadUnaligned(as: Eight.self) }
  var n = start
  while n &+ Eight.scalarCount <= end {
    let y = (load(n &- 624) & 0x8000_0000) | (load(n &- 623) & 0x7FFF_FFFF)
    let new = load(n &- 227) ^ (y &>> 1) ^ ((Eight() &- (y & 1)) & 0x9908_B0DF)
    UnsafeMutableRawPointer(w + n).storeBytes(of: new, as: Eight.self)
    n &+= Eight.scalarCount
  }
  while n < end {
    let y = (w[n - 624] & 0x8000_0000) | (w[n - 623] & 0x7FFF_FFFF)
    w[n] = w[n - 227] ^ (y >> 1) ^ ((0 &- (y & 1)) & 0x9908_B0DF)
    n += 1
  }
}

/// Whether `random_sample() >= p` for `count` draws, draw d from MT19937's untempered words
/// `words[2d]` and `words[2d + 1]` (`mt19937Words`), as bit d % 16 of `keeps[d / 16]`: dropout's
/// mask, the same as one `random_sample()` at a time, in 1/64 of its room, so the thread that takes
/// the words hands the other thread 2 bytes for sixteen draws (its words would cost the other core's
/// cache the lines this thread rewrites next step). The words are read up to a whole thirty-two
/// draws past `count`, and the bits of those draws (up to a 16-bit word past the last with any
/// of the mask's) are not the mask's.
///
/// A draw is k / 2^53 for the 53-bit integer k = (a >> 5) · 2^26 + (b >> 6) that its two tempered
/// words a and b make, so it is at least p exactly when k is at least `least` = ⌈p · 2^53⌉
/// (p · 2^53 is exact): integers compared, no conversion and no division. And a's 27 bits decide
/// unless they equal least's top 27 (one draw in 2^27), so the draws sixteen at a time temper only
/// their first words, and if some draw ties, every draw is done again in full.
public func dropoutKeeps(
  words: UnsafePointer<UInt32>, count: Int, least: UInt64, into keeps: UnsafeMutablePointer<UInt16>
) {
  let high = UInt32(truncatingIfNeeded: least >> 26)
  let raw = UnsafeRawPointer(words)
  /// high - a for sixteen draws' first words a from draw `d` on (the even ones of their
  /// thirty-two): below 2^27 when a ≤ high, and wrapped to the top bit when a > high.
  @inline(__always) func differences(_ d: Int) -> Words {
    let a = temper(raw.loadUnaligned(fromByteOffset: 8 &* d, as: SIMD32<UInt32>.self).evenHalf) &>> 5
    return Words(repeating: high) &- a
  }
  // The least difference: 0 where some a equals high, a tie, which b decides (as a minimum, one
  // operation a vector; `replacing` compiles to it).
  var lowest = Words(repeating: .max)
  var d = 0
  // Thirty-two draws to a 32-bit word of bits, two 16-bit words of `keeps`: one sum of lanes for
  // both. The top bit of lane i's difference goes to bit i, or i + 16 for the second sixteen.
  while d < count {
    let (first, second) = (differences(d), differences(d &+ 16))
    lowest = lowest.replacing(with: first, where: first .< lowest)
    lowest = lowest.replacing(with: second, where: second .< lowest)
    let bits = ((first &>> 31) &* lowBits) &+ ((second &>> 31) &* highBits)
    UnsafeMutableRawPointer(keeps + (d &>> 4)).storeBytes(of: bits.wrappedSum(), as: UInt32.self)
    d += 32
  }
  guard lowest.min() == 0 else { return }
  for d in 0..<count {
    let k = UInt64(temper(words[2 * d]) >> 5) << 26 | UInt64(temper(words[2 * d + 1]) >> 6)
    let bit = UInt16(1) << (d & 15)
    keeps[d >> 4] = k >= least ? keeps[d >> 4] | bit : keeps[d >> 4] & ~bit
  }
}

/// Lane i's bit, 2^i, and 2^(i + 16).
private var lowBits: Words { Words(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768) }
private var highBits: Words { lowBits &<< 16 }

/// Lane i set where bit i of `bits` is.
@inline(__always)
private func keptLanes(_ bits: UInt64) -> SIMDMask<SIMD16<Int64>> {
  let lanes = SIMD16<UInt64>(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768)
  return SIMD16<UInt64>(repeating: bits) & lanes .== lanes
}

/// Sixteen draws' bits from draw `d` on, draw `d + i` at bit i (read as a 32-bit word, so `keeps`
/// is read a 16-bit word past draw `d + 15`).
@inline(__always)
func keptBits(_ keeps: UnsafePointer<UInt16>, _ d: Int) -> UInt64 {
  UInt64(UnsafeRawPointer(keeps + (d &>> 4)).loadUnaligned(as: UInt32.self)) &>> UInt64(d & 15)
}

/// The hidden activations' derivative `dropoutSlopes` multiplies by: f'(a) from f's output a.
public enum Slope: Int, Sendable {
  /// tanh: 1 - a², as `multiplyByTanhDerivative`.
  case tanh
  /// The logistic function: a (1 - a).
  case sigmoid
  /// The rectifier: 1 where a > 0, else 0.
  case relu
}

/// Dropout on one thread's units of a hidden layer, `rows` rows of `width` in `a` (f's outputs,
/// by row): `a ← a · mask`, the mask `keep` where draw `first + r · stride + c` of `keeps`
/// (`dropoutKeeps`) is kept, else 0; and `slopes = f'(a before it) · (1 or 0)`. Backpropagation's
/// `δ · f'(a before) · mask` is then `(δ · slope) · keep` to the bit: where the unit is dropped,
/// `δ · (f'(a) · 0) · keep` and `δ · f'(a) · 0` are both 0 with δ's sign (f'(a) is never
/// negative or infinite), or the same NaN. One pass, and one array for the backward pass to read
/// instead of two (the activations before their mask, and the mask). `keeps` is read a 16-bit word
/// past the last draw.
public func dropoutSlopes(
  _ a: UnsafeMutablePointer<Double>, slopes: UnsafeMutablePointer<Double>, keeps: UnsafePointer<UInt16>, first: Int,
  stride: Int, width: Int, rows: Int, keep: Double, slope: Slope
) {
  // Each with its derivative a constant, so the loop has no branch for it.
  switch slope {
  case .tanh: dropoutSlopes(a, slopes, keeps, first, stride, width, rows, keep, .tanh)
  case .sigmoid: dropoutSlopes(a, slopes, keeps, first, stride, width, rows, keep, .sigmoid)
  case .relu: dropoutSlopes(a, slopes, keeps, first, stride, width, rows, keep, .relu)
  }
}

/// `a ← tanh(a + b)` by row, `b` one per column (`addRowVectorThenTanh`), then dropout on those
/// outputs with their slopes (`dropoutSlopes`, f = tanh), in one pass instead of two: the same
/// numbers, without writing the outputs and reading them back. For a thread that has its draws
/// before its forward pass.
public func addRowVectorThenTanhDropout(
  _ b: UnsafePointer<Double>, to a: UnsafeMutablePointer<Double>, slopes: UnsafeMutablePointer<Double>,
  keeps: UnsafePointer<UInt16>, first: Int, stride: Int, width: Int, rows: Int, keep: Double
) {
  withUnsafeTemporaryAllocation(of: Double.self, capacity: width + Lanes.scalarCount) { tiled in
    // tiled[j] = b[j % width]: the biases of sixteen values from any column c start at tiled[c].
    for j in tiled.indices { tiled[j] = b[j % width] }
    let biases = UnsafeRawPointer(tiled.baseAddress!)
    dropoutSlopes(a, slopes, keeps, first, stride, width, rows, keep, .tanh, tanhAdding: biases)
  }
}

/// `dropoutSlopes`, inlined into each case of its derivative; with `biases` (column c's at
/// byte 8c, a row of them laid end to end past the last column), on `tanh(a + b)`.
@inline(__always)
private func dropoutSlopes(
  _ a: UnsafeMutablePointer<Double>, _ slopes: UnsafeMutablePointer<Double>, _ keeps: UnsafePointer<UInt16>,
  _ first: Int, _ stride: Int, _ width: Int, _ rows: Int, _ keep: Double, _ slope: Slope,
  tanhAdding biases: UnsafeRawPointer? = nil
) {
  /// f(v) for sixteen values from column c (a closure was not inlined: a call every vector).
  @inline(__always) func activate(_ v: Lanes, _ c: Int) -> Lanes {
    guard let biases else { return v }
    return tanh(v + biases.loadUnaligned(fromByteOffset: c &* 8, as: Lanes.self))
  }
  /// Sixteen outputs `v` whose draws' bits are `bits` (lane i's at bit i): the slopes, and `v`
  /// times the mask.
  @inline(__always) func sixteen(_ bits: UInt64, _ v: Lanes) -> (slopes: Lanes, masked: Lanes) {
    // 1 where the draw is kept, else 0.
    let kept = Lanes(repeating: 0).replacing(with: 1, where: keptLanes(bits))
    let derivative: Lanes
    switch slope {
    case .tanh: derivative = 1 - v * v
    case .sigmoid: derivative = v * (1 - v)
    case .relu: derivative = Lanes(repeating: 0).replacing(with: 1, where: v .> 0)
    }
    return (derivative * kept, v * (kept * keep))
  }
  /// The draws' bits of the `n` values (at most sixteen) from row `r`, column `c` on: the values
  /// go on across the rows, each row's piece of its draws from one read (one for them all when
  /// the rows' draws follow one another, all of a layer's units).
  @inline(__always) func bits(row r: Int, column c: Int, count n: Int) -> UInt64 {
    guard stride != width else { return keptBits(keeps, first &+ r &* width &+ c) }
    var (r, c, i, bits) = (r, c, 0, UInt64(0))
    while i < n {
      let piece = min(width &- c, n &- i)
      bits |= (keptBits(keeps, first &+ r &* stride &+ c) & (1 &<< UInt64(piece) &- 1)) &<< UInt64(i)
      (r, c, i) = (r &+ 1, 0, i &+ piece)
    }
    return bits
  }
  // Sixteen values at a time, across the rows: a block of a few units of each row (one thread's
  // share of a wide layer) takes as few vectors as its values need.
  let count = rows &* width
  var (f, r, c) = (0, 0, 0)
  if let biases {
    // The biases' column for the inputs, which run a block of vectors ahead of the outputs.
    var column = 0
    tanhInBlocks(vectors: count / 16) { v in
      let x = UnsafeRawPointer(a + v &* 16).loadUnaligned(as: Lanes.self)
      let bias = biases.loadUnaligned(fromByteOffset: column &* 8, as: Lanes.self)
      column &+= 16
      while column >= width { column &-= width }
      return x + bias
    } output: { _, t in
      // The else branch's body again: as a nested function both called, it was left a call with
      // its captures checked for exclusive access on every vector.
      let (s, masked) = sixteen(bits(row: r, column: c, count: 16), t)
      UnsafeMutableRawPointer(slopes + f).storeBytes(of: s, as: Lanes.self)
      UnsafeMutableRawPointer(a + f).storeBytes(of: masked, as: Lanes.self)
      (f, c) = (f &+ 16, c &+ 16)
      while c >= width { (r, c) = (r &+ 1, c &- width) }
    }
  } else {
    while f &+ 16 <= count {
      let (s, masked) = sixteen(
        bits(row: r, column: c, count: 16), UnsafeRawPointer(a + f).loadUnaligned(as: Lanes.self))
      UnsafeMutableRawPointer(slopes + f).storeBytes(of: s, as: Lanes.self)
      UnsafeMutableRawPointer(a + f).storeBytes(of: masked, as: Lanes.self)
      (f, c) = (f &+ 16, c &+ 16)
      while c >= width { (r, c) = (r &+ 1, c &- width) }
    }
  }
  guard f < count else { return }
  // The last few through a vector padded with zeros.
  var v = Lanes()
  for j in 0..<count &- f { v[j] = a[f &+ j] }
  let (s, masked) = sixteen(bits(row: r, column: c, count: count &- f), activate(v, c))
  for j in 0..<count &- f {
    slopes[f &+ j] = s[j]
    a[f &+ j] = masked[j]
  }
}

/// `δ = (δ · slopes) · keep` over `count` values: backpropagation through `dropoutSlopes`.
public func multiplyBySlopes(
  _ delta: UnsafeMutablePointer<Double>, slopes: UnsafePointer<Double>, keep: Double, count: Int
) {
  var i = 0
  while i + L <= count {
    let d = UnsafeRawPointer(delta + i).loadUnaligned(as: Lanes.self)
    let g = UnsafeRawPointer(slopes + i).loadUnaligned(as: Lanes.self)
    UnsafeMutableRawPointer(delta + i).storeBytes(of: d * g * keep, as: Lanes.self)
    i += L
  }
  while i < count {
    delta[i] = delta[i] * slopes[i] * keep
    i += 1
  }
}
