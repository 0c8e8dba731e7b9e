// Dropout's masks straight from MT19937's state: numpy's `random_sample(shape) >= p`, draw for
// draw, sixteen state words (eight draws) to a vector. Integer work only, so every build gives
// the same masks; the wide builds just do more words an instruction.

/// Sixteen state words of MT19937, or the eight draws they make.
private typealias Words = SIMD16<UInt32>

/// MT19937's state: 624 words.
private let stateWords = 624

/// The next 624 words of MT19937's state `mt`, in place, as the reference loop makes them: word
/// i mixes words i, i + 1 and i + 397 (mod 624), the later ones already new where they wrap.
/// Sixteen words at a time where no word of a vector reads one the same vector writes: word i
/// reads i + 397 (old) up to i = 226, then i - 227 (new, written at least 227 words before).
public func mt19937Twist(_ mt: UnsafeMutablePointer<UInt32>) {
  @inline(__always) func mix(_ i: Int, _ next: Int, _ far: Int) {
    let y = (mt[i] & 0x8000_0000) | (mt[next] & 0x7FFF_FFFF)
    mt[i] = mt[far] ^ (y >> 1) ^ ((0 &- (y & 1)) & 0x9908_B0DF)
  }
  @inline(__always) func load(_ i: Int) -> Words { UnsafeRawPointer(mt + i).loadUnaligned(as: Words.self) }
  /// Words i ..< i + 16, whose far words start at `far`.
  @inline(__always) func mix16(_ i: Int, _ far: Int) {
    let y = (load(i) & 0x8000_0000) | (load(i + 1) & 0x7FFF_FFFF)
    let new = load(far) ^ (y &>> 1) ^ ((Words() &- (y & 1)) & 0x9908_B0DF)
    UnsafeMutableRawPointer(mt + i).storeBytes(of: new, as: Words.self)
  }
  let n = Words.scalarCount
  var i = 0
  while i + n <= 227 {
    mix16(i, i + 397)
    i += n
  }
  while i < 227 {
    mix(i, i + 1, i + 397)
    i += 1
  }
  // The last vector stops before word 623, whose next word is word 0.
  while i + n <= 623 {
    mix16(i, i - 227)
    i += n
  }
  while i < 623 {
    mix(i, i + 1, i - 227)
    i += 1
  }
  mix(623, 0, 396)
}

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

/// `out[i] = random_sample() >= p ? keep : 0` for `count` draws, from MT19937's state `mt` read
/// from word `index` on (twisting it as it runs out): dropout's mask, the same as one
/// `random_sample()` at a time. Returns the index of the next unread word.
///
/// A draw is k / 2^53 for the 53-bit integer k = (a >> 5) · 2^26 + (b >> 6) that its two tempered
/// words a and b make, so it is at least p exactly when k is at least `least` = ⌈p · 2^53⌉
/// (p · 2^53 is exact): integers compared, no conversion and no division. And a's 27 bits decide
/// unless they equal least's top 27 (one draw in 2^27), so sixteen draws at a time temper only
/// their first words, and the draws between two twists are done again in full if one ties.
public func dropoutMask(
  _ mt: UnsafeMutablePointer<UInt32>, index start: Int, into out: UnsafeMutablePointer<Double>, count: Int,
  least: UInt64, keep: Double
) -> Int {
  var index = start
  let kept = keep.bitPattern
  @inline(__always) func word() -> UInt32 {
    if index >= stateWords {
      mt19937Twist(mt)
      index = 0
    }
    index += 1
    return temper(mt[index - 1])
  }
  /// A draw's mask value from its two tempered words.
  @inline(__always) func draw(_ a: UInt32, _ b: UInt32) -> Double {
    UInt64(a >> 5) << 26 | UInt64(b >> 6) >= least ? keep : 0
  }
  let high = UInt32(truncatingIfNeeded: least >> 26)
  var filled = 0
  while filled < count {
    let draws = min(count - filled, (stateWords - index) / 2) / 16 * 16
    guard draws > 0 else {
      // Near a twist, or the last few: one at a time (a draw's two words may straddle it).
      out[filled] = draw(word(), word())
      filled += 1
      continue
    }
    let words = mt + index
    let raw = UnsafeRawPointer(words)
    // (a ^ high) - 1 of every draw, or-ed: its top bit is set when some draw's a equals high
    // (0 - 1 wraps), and clear otherwise (both are below 2^27).
    var tied = Words()
    for d in stride(from: 0, to: draws, by: 16) {
      // Sixteen draws' first words: the low halves of their 64-bit word pairs (little-endian).
      let pairs = (
        raw.loadUnaligned(fromByteOffset: 8 &* d, as: SIMD8<UInt64>.self),
        raw.loadUnaligned(fromByteOffset: 8 &* d &+ 64, as: SIMD8<UInt64>.self)
      )
      let a =
        temper(Words(lowHalf: .init(truncatingIfNeeded: pairs.0), highHalf: .init(truncatingIfNeeded: pairs.1))) &>> 5
      tied |= (a ^ high) &- 1
      // 1 where a > high (the difference wraps to the top bit), else 0.
      let kept16 = SIMD16<UInt64>(truncatingIfNeeded: (high &- a) &>> 31)
      UnsafeMutableRawPointer(out + (filled &+ d)).storeBytes(
        of: SIMD16(repeating: kept) & (0 &- kept16), as: SIMD16<UInt64>.self)
    }
    if (tied &>> 31).wrappedSum() != 0 {
      // A tie (one draw in 2^27): these draws again in full, from words not yet twisted.
      for r in 0..<draws { out[filled + r] = draw(temper(words[2 * r]), temper(words[2 * r + 1])) }
    }
    index += 2 * draws
    filled += draws
  }
  return index
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
