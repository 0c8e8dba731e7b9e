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
  while n + Eight.scalarCount <= end {
    let y = (load(n &- 624) & 0x8000_0000) | (load(n &- 623) & 0x7FFF_FFFF)
    let new = load(n &- 227) ^ (y &>> 1) ^ ((Eight() &- (y & 1)) & 0x9908_B0DF)
    UnsafeMutableRawPointer(w + n).storeBytes(of: new, as: Eight.self)
    n += Eight.scalarCount
  }
  while n < end {
    let y = (w[n - 624] & 0x8000_0000) | (w[n - 623] & 0x7FFF_FFFF)
    w[n] = w[n - 227] ^ (y >> 1) ^ ((0 &- (y & 1)) & 0x9908_B0DF)
    n += 1
  }
}

/// `out[r · width + c] = random_sample() >= p ? keep : 0` for `rows` rows of `width` draws, draw c
/// of row r from MT19937's untempered words `2 (r · stride + c)` and the one after
/// (`mt19937Words`): dropout's mask, the same as one `random_sample()` at a time. Draws read only
/// their own words, so any rows, or any units of every row, can be made on their own thread.
///
/// A draw is k / 2^53 for the 53-bit integer k = (a >> 5) · 2^26 + (b >> 6) that its two tempered
/// words a and b make, so it is at least p exactly when k is at least `least` = ⌈p · 2^53⌉
/// (p · 2^53 is exact): integers compared, no conversion and no division. And a's 27 bits decide
/// unless they equal least's top 27 (one draw in 2^27), so sixteen draws at a time temper only
/// their first words, and a row with a tie is done again in full.
public func dropoutMask(
  words: UnsafePointer<UInt32>, stride: Int, into out: UnsafeMutablePointer<Double>, width: Int, rows: Int,
  least: UInt64, keep: Double
) {
  let kept = keep.bitPattern
  let high = UInt32(truncatingIfNeeded: least >> 26)
  for r in 0..<rows {
    let (w, o) = (words + 2 &* r &* stride, out + r &* width)
    /// Draw c's mask value from its two words.
    @inline(__always) func draw(_ c: Int) -> Double {
      UInt64(temper(w[2 &* c]) >> 5) << 26 | UInt64(temper(w[2 &* c &+ 1]) >> 6) >= least ? keep : 0
    }
    guard width >= 16 else {
      for c in 0..<width { o[c] = draw(c) }
      continue
    }
    let raw = UnsafeRawPointer(w)
    // (a ^ high) - 1 of every draw, or-ed: its top bit is set where some a equals high (0 - 1
    // wraps), and clear otherwise (both are below 2^27): a tie, which b decides.
    var tied = Words()
    /// Draws `c ..< c + 16`.
    @inline(__always) func sixteen(from c: Int) {
      // Sixteen draws' first words: the low halves of their 64-bit word pairs (little-endian).
      let pairs = (
        raw.loadUnaligned(fromByteOffset: 8 &* c, as: SIMD8<UInt64>.self),
        raw.loadUnaligned(fromByteOffset: 8 &* c &+ 64, as: SIMD8<UInt64>.self)
      )
      let a =
        temper(Words(lowHalf: .init(truncatingIfNeeded: pairs.0), highHalf: .init(truncatingIfNeeded: pairs.1))) &>> 5
      tied |= (a ^ high) &- 1
      // 1 where a > high (the difference wraps to the top bit), else 0.
      let kept16 = SIMD16<UInt64>(truncatingIfNeeded: (high &- a) &>> 31)
      UnsafeMutableRawPointer(o + c).storeBytes(of: SIMD16(repeating: kept) & (0 &- kept16), as: SIMD16<UInt64>.self)
    }
    var c = 0
    while c + 16 <= width {
      sixteen(from: c)
      c += 16
    }
    // The last few with the sixteen that end at the last: a draw made twice is the same draw.
    if c < width { sixteen(from: width - 16) }
    if (tied &>> 31).wrappedSum() != 0 {
      for c in 0..<width { o[c] = draw(c) }
    }
  }
}

/// `unmasked = a; a = a · mask` over `count` values: a hidden layer's dropout in one pass, keeping
/// the activations before their mask (the derivative reads them).
public func applyDropout(
  _ a: UnsafeMutablePointer<Double>, mask: UnsafePointer<Double>, keeping unmasked: UnsafeMutablePointer<Double>,
  count: Int
) {
  var i = 0
  while i + L <= count {
    let v = UnsafeRawPointer(a + i).loadUnaligned(as: Lanes.self)
    UnsafeMutableRawPointer(unmasked + i).storeBytes(of: v, as: Lanes.self)
    let keep = UnsafeRawPointer(mask + i).loadUnaligned(as: Lanes.self)
    UnsafeMutableRawPointer(a + i).storeBytes(of: v * keep, as: Lanes.self)
    i += L
  }
  while i < count {
    unmasked[i] = a[i]
    a[i] = a[i] * mask[i]
    i += 1
  }
}

/// `delta = delta · mask` over `count` values: backpropagation through a dropout mask.
public func multiplyByMask(_ delta: UnsafeMutablePointer<Double>, mask: UnsafePointer<Double>, count: Int) {
  var i = 0
  while i + L <= count {
    let d = UnsafeRawPointer(delta + i).loadUnaligned(as: Lanes.self)
    let keep = UnsafeRawPointer(mask + i).loadUnaligned(as: Lanes.self)
    UnsafeMutableRawPointer(delta + i).storeBytes(of: d * keep, as: Lanes.self)
    i += L
  }
  while i < count {
    delta[i] = delta[i] * mask[i]
    i += 1
  }
}
