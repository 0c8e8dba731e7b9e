// exp and tanh sixteen lanes at a time, for the hot loop: numpy's own are vectorized too. exp is
// within 1 unit in the last place of libm's, tanh within 3 (and equal to it for about 97% of
// inputs); the tests check both. Neither allocates nor branches per element.
//
// This file and the other kernels are compiled three times, as DescentKernels (any x86-64),
// DescentKernelsAVX2 and DescentKernelsAVX512 (the same source for those instruction sets): the
// same operations in the same order, so all give the same numbers to the last bit, and
// DescentCore picks the widest the CPU runs.

/// Sixteen doubles: four AVX2 registers or two AVX-512 ones per operation. The functions below
/// are long chains of dependent operations (the polynomial, the division); with several
/// registers per step the processor has that many independent instructions to run at once
/// (measured against eight lanes: 20% more iterations per second for the post's network, 34%
/// for 50 units; 32 lanes spill and are 100 times slower).
typealias Lanes = SIMD16<Double>

/// Cody-Waite split of ln 2: `ln2Hi` has trailing zero bits, so `k · ln2Hi` is exact for |k| < 2^11.
private let ln2Hi = 6.93147180369123816490e-01
private let ln2Lo = 1.90821492927058770002e-10
private let invLn2 = 1.44269504088896338700e+00
/// Adding and subtracting 1.5 · 2^52 rounds to the nearest integer and leaves it in the low bits.
private let roundingMagic = 6_755_399_441_055_744.0

/// `expm1(r)` for |r| ≤ ln 2 / 2: the Taylor series to r^13 (its remainder is below 1e-17).
@inline(__always)
private func expm1Reduced(_ r: Lanes) -> Lanes { expm1Reduced(r, series: seriesFirstHalf(r)) }

/// The first six of the series' twelve steps in Horner's order, 1/13! to 1/8!.
@inline(__always)
private func seriesFirstHalf(_ r: Lanes) -> Lanes {
  var p = Lanes(repeating: 1.0 / 6_227_020_800)  // 1/13!
  p = p * r + 1.0 / 479_001_600
  p = p * r + 1.0 / 39_916_800
  p = p * r + 1.0 / 3_628_800
  p = p * r + 1.0 / 362_880
  p = p * r + 1.0 / 40_320
  return p
}

/// The series' last six steps, 1/7! to 1/2, on `seriesFirstHalf`'s `p`, then expm1(r) = r + r² p.
@inline(__always)
private func expm1Reduced(_ r: Lanes, series p: Lanes) -> Lanes {
  var p = p
  p = p * r + 1.0 / 5040
  p = p * r + 1.0 / 720
  p = p * r + 1.0 / 120
  p = p * r + 1.0 / 24
  p = p * r + 1.0 / 6
  p = p * r + 0.5
  return r + (r * r) * p
}

/// Splits `x = k · ln 2 + r` with |r| ≤ ln 2 / 2; returns r and 2^k's exponent bits, for
/// k in the normal range.
@inline(__always)
private func reduce(_ x: Lanes) -> (r: Lanes, k: Lanes, scale: Lanes) {
  let shifted = x * invLn2 + roundingMagic
  let k = shifted - roundingMagic
  let r = (x - k * ln2Hi) - k * ln2Lo
  let bits = unsafeBitCast(shifted, to: Bits.self)
  let scale = unsafeBitCast((bits &+ 1023) &<< 52, to: Lanes.self)
  return (r, k, scale)
}

/// What the first stage of exp or tanh (`expStart`, `tanhStart`) hands to the next: the reduced
/// argument r, 2^k, and the first half of the series.
typealias Partial = (r: Lanes, scale: Lanes, series: Lanes)

/// exp's first stage (the stages as tanh's, below; `expEnd(expStart(x))` is `exp(x)` to the
/// last bit for |x| below 708, where exp needs no clamp): the reduction, and half the series.
@inline(__always)
func expStart(_ x: Lanes) -> Partial {
  let (r, _, scale) = reduce(x)
  return (r, scale, seriesFirstHalf(r))
}

/// exp's second stage: the series' second half, and exp(x) = (1 + expm1(r)) · 2^k.
@inline(__always)
func expEnd(_ partial: Partial) -> Lanes {
  let (r, scale, series) = partial
  return (1 + expm1Reduced(r, series: series)) * scale
}

/// `exp(x)` for every lane: 0 below -745, infinity above 709.78, NaN stays NaN.
@inline(__always)
func exp(_ x: Lanes) -> Lanes {
  let bits = unsafeBitCast(x, to: Bits.self)
  let magnitude = bits & 0x7FFF_FFFF_FFFF_FFFF
  // Nearly always every lane is below 708 in magnitude: then 2^k and the result are normal
  // numbers, one multiplication by 2^k is exact as the two below are, and nothing needs clamping.
  if allBelow(magnitude, 708.0.bitPattern) { return expEnd(expStart(x)) }
  let negative = 0 &- (bits &>> 63)
  let limit = select(negative, limit746, limit710)
  let clamped = unsafeBitCast(select(below(magnitude, limit), magnitude, limit) | (bits & sign64), to: Lanes.self)
  let (r, k, _) = reduce(clamped)
  // 2^k as 2^(k - h) · 2^h with h = ⌊k / 2⌋, so results down to the subnormals come out right.
  let whole = unsafeBitCast(k + roundingMagic, to: SIMD16<Int64>.self) &- magicBits
  let h = whole &>> 1
  @inline(__always) func power(_ e: SIMD16<Int64>) -> Lanes { unsafeBitCast((e &+ 1023) &<< 52, to: Lanes.self) }
  let e = (1 + expm1Reduced(r)) * power(whole &- h) * power(h)
  return unsafeBitCast(select(below(infinity, magnitude), bits, unsafeBitCast(e, to: Bits.self)), to: Lanes.self)
}

/// `tanh(x)` for every lane, as fdlibm does it: with t = expm1(∓2|x|), tanh|x| = -t / (t + 2)
/// below 0.55 and 1 - 2 / (t + 2) above (one expm1 for both). No branch per lane: the lanes
/// choose by masks; one per vector, to skip the clamp when no lane needs it (measured with exp's:
/// 11% fewer instructions a step for the post's network, 11% more iterations a second). With
/// `rareOutOfLine`, a vector that needs the clamp takes a call, for a loop that needs its
/// registers for the common case (the post's one-pass kernel, where inlined it slowed every step).
@inline(__always)
func tanh(_ x: Lanes, rareOutOfLine: Bool = false) -> Lanes {
  let bits = unsafeBitCast(x, to: Bits.self)
  let sign = bits & 0x8000_0000_0000_0000
  let magnitude = bits & 0x7FFF_FFFF_FFFF_FFFF
  // Nearly always every lane is below 22, and nothing needs the clamp or the NaN below.
  if allBelow(magnitude, 22.0.bitPattern) { return tanh(magnitude: magnitude, sign: sign) }
  return rareOutOfLine ? tanhPast22OutOfLine(x) : tanhPast22(x)
}

/// `tanhPast22`, not inlined.
@inline(never)
private func tanhPast22OutOfLine(_ x: Lanes) -> Lanes { tanhPast22(x) }

/// `tanh` of a vector with a lane past 22 or NaN, which large weights make common. Masked moves
/// (`replacing`), not and-or masks: with those LLVM spilled and reloaded its constants, and the
/// path was far slower than the one below 22 (the README's *tanh past 22*).
@inline(__always)
private func tanhPast22(_ x: Lanes) -> Lanes {
  let bits = unsafeBitCast(x, to: Bits.self)
  let m = signed(bits & 0x7FFF_FFFF_FFFF_FFFF)
  // Past 22, tanh is 1 to double precision; the clamp keeps 2^k normal.
  let clamped = unsafeBitCast(m.replacing(with: signed(limit22), where: signed(limit22) .< m), to: Bits.self)
  let result = tanh(magnitude: clamped, sign: bits & 0x8000_0000_0000_0000)
  // NaN in, NaN out.
  let resultBits = signed(unsafeBitCast(result, to: Bits.self))
  return unsafeBitCast(resultBits.replacing(with: signed(bits), where: signed(infinity) .< m), to: Lanes.self)
}

/// `tanh` of the lanes whose magnitude is `a` (at most 22) and sign `sign`.
@inline(__always)
private func tanh(magnitude a: Bits, sign: Bits) -> Lanes {
  // The mask from a vector comparison of the patterns as signed integers (one instruction, where
  // `below` takes three): 7.5% more iterations a second for the post's network on AVX-512, 2% on
  // AVX2. (`replacing(with:where:)` and `all` were faster still in a loop of tanh alone, but in the
  // one-pass kernel `all` became a call that loops over the lanes, a quarter of the step.)
  let small = unsafeBitCast(signed(a) .< signed(limit055), to: Bits.self)
  let (r, _, scale) = reduce(doubled(a, negativeWhere: small))
  let t = scale * expm1Reduced(r) + (scale - 1)  // expm1(y) = 2^k · expm1(r) + (2^k - 1)
  return tanh(expm1: t, sign: sign)
}

/// y = -2a where `small` is all ones, else 2a: expm1(y) is tanh's t.
@inline(__always)
private func doubled(_ a: Bits, negativeWhere small: Bits) -> Lanes {
  unsafeBitCast(unsafeBitCast(2 * unsafeBitCast(a, to: Lanes.self), to: Bits.self) | (small & sign64), to: Lanes.self)
}

/// tanh from t = expm1(∓2|x|): -t / (t + 2) below 0.55, else 1 - 2 / (t + 2), with `sign`.
///
/// t tells the two apart, so |x| is not compared again: below 0.55, t = expm1(-2|x|) is in
/// (-2/3, 0] (+0 at x = 0: the reduction's -0 comes out of the series as +0); above, t =
/// expm1(2|x|) is past 2. So the numerator -t or 2 is |t| or 2 (|t| = -t exactly, and 0 - t at +0
/// is +0 as |t| is), and the result is |c - q| with c = 0 where t ≤ 0, else 1: 0 - q is -q exactly
/// and q is never below +0. The same bits as choosing by |x| < 0.55 (`tanhKeepsItsBits` holds
/// them), in fewer operations: 1,800 instructions of the post's 32k a step (AVX2).
@inline(__always)
private func tanh(expm1 t: Lanes, sign: Bits) -> Lanes {
  let bits = unsafeBitCast(t, to: Bits.self)
  // Vector against vector: against a scalar, LLVM compares lane by lane.
  let small = unsafeBitCast(t .<= Lanes(), to: Bits.self)
  let numerator = select(small, bits & 0x7FFF_FFFF_FFFF_FFFF, two)
  let q = unsafeBitCast(numerator, to: Lanes.self) / (t + 2)  // one division for both
  let c = unsafeBitCast(~small & one, to: Lanes.self)
  let result = (unsafeBitCast(c - q, to: Bits.self) & 0x7FFF_FFFF_FFFF_FFFF) | sign
  return unsafeBitCast(result, to: Lanes.self)
}

// tanh in three stages, for a loop that makes many vectors of it: one tanh is a chain of some
// 160 cycles of dependent operations against some 50 of work, longer than the processor's
// scheduler sees past, so a loop of whole tanhs runs about one chain at a time; a loop that
// runs each stage a vector behind the one before gives it three shorter chains that do not
// wait on each other. `tanhEnd(x, expm1: tanhMiddle(tanhStart(x)))` is `tanh(x)` to the last
// bit (the same operations in the same order) for |x| below `tanhStagesLimit`.

/// The magnitude below which the stages give `tanh`'s bits without its clamp at 22: from 22 on
/// both round to ±1 exactly (2 / (t + 2) is below 2^-60), and 2^k stays a normal number while
/// 2|x| / ln 2 rounds to at most 1,023, up to about 354.6. Not NaN.
var tanhStagesLimit: Double { 350 }

/// tanh's first stage: the reduction of ∓2|x| and the first half of expm1's series.
@inline(__always)
func tanhStart(_ x: Lanes) -> Partial {
  let a = unsafeBitCast(x, to: Bits.self) & 0x7FFF_FFFF_FFFF_FFFF
  let small = unsafeBitCast(signed(a) .< signed(limit055), to: Bits.self)
  let (r, _, scale) = reduce(doubled(a, negativeWhere: small))
  return (r, scale, seriesFirstHalf(r))
}

/// tanh's second stage: the series' second half, and t = expm1(∓2|x|).
@inline(__always)
func tanhMiddle(_ partial: Partial) -> Lanes {
  let (r, scale, series) = partial
  return scale * expm1Reduced(r, series: series) + (scale - 1)
}

/// tanh's last stage: the division.
@inline(__always)
func tanhEnd(_ x: Lanes, expm1 t: Lanes) -> Lanes {
  tanh(expm1: t, sign: unsafeBitCast(x, to: Bits.self) & 0x8000_0000_0000_0000)
}

// The constants are computed properties, not stored globals: a global is initialized lazily,
// and each read in a loop the compiler cannot hoist it out of goes through swift_once.

/// Eight 64-bit patterns.
typealias Bits = SIMD16<UInt64>
private var limit22: Bits { Bits(repeating: 22.0.bitPattern) }
private var limit055: Bits { Bits(repeating: 0.55.bitPattern) }
private var limitStages: Bits { Bits(repeating: tanhStagesLimit.bitPattern) }
private var two: Bits { Bits(repeating: 2.0.bitPattern) }
private var one: Bits { Bits(repeating: 1.0.bitPattern) }
private var infinity: Bits { Bits(repeating: Double.infinity.bitPattern) }
private var sign64: Bits { Bits(repeating: 0x8000_0000_0000_0000) }
private var limit746: Bits { Bits(repeating: 746.0.bitPattern) }
private var limit710: Bits { Bits(repeating: 710.0.bitPattern) }
/// The bits of `roundingMagic`: what is left after subtracting them is the integer added to it.
private var magicBits: SIMD16<Int64> { SIMD16<Int64>(repeating: Int64(bitPattern: roundingMagic.bitPattern)) }

/// All ones in the lanes where `a < b`, for non-negative patterns below 2^63.
@inline(__always)
func below(_ a: Bits, _ b: Bits) -> Bits { 0 &- ((a &- b) &>> 63) }

/// Whether every lane of `a` is below `b` (unsigned), for `b` below 2^63: the sign bit of
/// `a - b` is set and that of `a` clear in every lane (an and of the halves, down to one).
@inline(__always)
func allBelow(_ a: Bits, _ b: UInt64) -> Bool { allSigned((a &- b) & ~a) }

/// Whether every lane of `d` has its sign bit set (an and of the halves, down to one).
@inline(__always)
private func allSigned(_ d: Bits) -> Bool {
  let d4 = (d.lowHalf & d.highHalf).lowHalf & (d.lowHalf & d.highHalf).highHalf
  let d2 = d4.lowHalf & d4.highHalf
  return (d2[0] & d2[1]) >> 63 == 1
}

/// The same bits as signed integers.
@inline(__always)
private func signed(_ a: Bits) -> SIMD16<Int64> { unsafeBitCast(a, to: SIMD16<Int64>.self) }

/// `a` where `mask` is all ones, `b` where it is zero.
@inline(__always)
private func select(_ mask: Bits, _ a: Bits, _ b: Bits) -> Bits { (a & mask) | (b & ~mask) }

/// `log(x)` for every lane, as fdlibm's `log` does it (within 1 unit in the last place): with
/// x = 2^k · (1 + f), 1 + f in [√2/2, √2) and s = f / (2 + f),
/// log x = k ln 2 + f - f²/2 + s (f²/2 + R(s²)). 0 gives -infinity, below 0 or NaN gives NaN,
/// infinity stays infinity; subnormals are scaled by 2^54 first.
@inline(__always)
func log(_ x: Lanes) -> Lanes {
  let bits = unsafeBitCast(x, to: Bits.self)
  let smallestNormal: UInt64 = 0x0010_0000_0000_0000
  // Nearly always every lane is a positive normal number: nothing to scale, nothing special.
  if allBelow(bits &- smallestNormal, Double.infinity.bitPattern - smallestNormal) {
    return log(normal: bits, subnormal: Bits())
  }
  let subnormal = below(bits, Bits(repeating: smallestNormal))  // and zero, and no negative
  let scaled = select(subnormal, unsafeBitCast(x * 0x1p54, to: Bits.self), bits)
  let result = log(normal: scaled, subnormal: subnormal)
  // ±0: -infinity; below 0: NaN; +infinity and NaN: themselves.
  let magnitude = bits & 0x7FFF_FFFF_FFFF_FFFF
  let zero = below(magnitude, Bits(repeating: 1))
  let negative = 0 &- (bits &>> 63)
  let nan = Bits(repeating: Double.nan.bitPattern)
  var out = select(zero, Bits(repeating: (-Double.infinity).bitPattern), unsafeBitCast(result, to: Bits.self))
  out = select(negative & ~zero, nan, out)
  out = select(below(magnitude, infinity), out, select(negative & below(magnitude, infinity &+ 1), nan, bits))
  return unsafeBitCast(out, to: Lanes.self)
}

/// `log` of positive normal numbers `scaled`, those lanes that were subnormal (all ones in
/// `subnormal`) having been multiplied by 2^54.
@inline(__always)
private func log(normal scaled: Bits, subnormal: Bits) -> Lanes {
  // Move the split point of the mantissa from 1 to √2/2: add the difference to the high word.
  let shifted = scaled &+ (0x0009_5F62 << 32)
  let k =
    unsafeBitCast((shifted &>> 52) &- 1023, to: SIMD16<Int64>.self)
    &- unsafeBitCast(subnormal & 54, to: SIMD16<Int64>.self)
  let m = unsafeBitCast((shifted & 0x000F_FFFF_FFFF_FFFF) &+ (0x3FE6_A09E << 32), to: Lanes.self)
  let f = m - 1
  let s = f / (2 + f)
  let dk = unsafeBitCast(magicBits &+ k, to: Lanes.self) - roundingMagic  // k, exactly
  let z = s * s
  let w = z * z
  let t1 = w * (3.999999999940941908e-01 + w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01))
  let t2 =
    z
    * (6.666666666666735130e-01 + w
      * (2.857142874366239149e-01 + w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)))
  let R = t2 + t1
  let hfsq = 0.5 * f * f
  return dk * ln2Hi - ((hfsq - (s * (hfsq + R) + dk * ln2Lo)) - f)
}

/// `tanh` over `count` doubles in place.
public func tanhInPlace(_ z: UnsafeMutablePointer<Double>, count: Int) { mapInPlace(z, count: count) { tanh($0) } }

/// `z ← tanh(z + b)` over `m` rows of `n`, `b` one per column: `a1 = np.tanh(X.dot(W1) + b1)` after
/// the product, the bias and tanh in one pass instead of two (each element `tanh(z + b)`, as
/// `addRowVector` then `tanhInPlace` make it). Sixteen elements a vector across the rows, their
/// biases read from the row of biases laid end to end.
public func addRowVectorThenTanh(_ b: UnsafePointer<Double>, to z: UnsafeMutablePointer<Double>, m: Int, n: Int) {
  let L = Lanes.scalarCount
  withUnsafeTemporaryAllocation(of: Double.self, capacity: n + L) { tiled in
    // tiled[j] = b[j % n]: the biases of sixteen elements from any column c start at tiled[c].
    for j in 0..<n + L { tiled[j] = b[j % n] }
    let biases = UnsafeRawPointer(tiled.baseAddress!)
    let count = m * n
    var c = 0
    tanhInBlocks(vectors: count / L) { v in
      let x = UnsafeRawPointer(z + v &* L).loadUnaligned(as: Lanes.self)
      let bias = biases.loadUnaligned(fromByteOffset: c &* 8, as: Lanes.self)
      c &+= L
      while c >= n { c &-= n }
      return x + bias
    } output: { v, a in
      UnsafeMutableRawPointer(z + v &* L).storeBytes(of: a, as: Lanes.self)
    }
    let i = count / L * L
    if i < count {
      var v = Lanes()
      for j in 0..<(count - i) { v[j] = z[i + j] }
      let out = tanh(v + biases.loadUnaligned(fromByteOffset: c &* 8, as: Lanes.self))
      for j in 0..<(count - i) { z[i + j] = out[j] }
    }
  }
}

/// Vectors a block of `tanhInBlocks` takes through each stage before the next.
private var tanhBlock: Int { 4 }

/// tanh of `n` vectors, a block of four at a time in tanh's three stages, each stage over the
/// whole block before the next: one tanh is a chain of dependent operations longer than the
/// processor's scheduler sees past (see the stages above), a stage a third of it, and a block's
/// vectors do not wait on each other. `input(v)` is asked for each vector once, in order, and
/// before any output of its block; `output(v, tanh)` is told each in order. A block with a lane
/// not below `tanhStagesLimit` in magnitude (or NaN) goes through whole tanhs: the same bits.
@inline(__always)
func tanhInBlocks(vectors n: Int, input: (Int) -> Lanes, output: (Int, Lanes) -> Void) {
  let size = MemoryLayout<Lanes>.size
  withUnsafeTemporaryAllocation(byteCount: 4 * tanhBlock * size, alignment: 64) { room in
    // Each vector's x, then r, 2^k and the series' first half (r becomes t in the second stage).
    let room = room.baseAddress!
    @inline(__always) func at(_ k: Int, _ slot: Int) -> Int { (4 &* k &+ slot) &* size }
    var v0 = 0
    while v0 < n {
      let b = min(tanhBlock, n &- v0)
      var within = ~Bits()
      for k in 0..<b {
        let x = input(v0 &+ k)
        let a = unsafeBitCast(x, to: Bits.self) & 0x7FFF_FFFF_FFFF_FFFF
        within &= unsafeBitCast(signed(a) .< signed(limitStages), to: Bits.self)
        let (r, scale, series) = tanhStart(x)
        room.storeBytes(of: x, toByteOffset: at(k, 0), as: Lanes.self)
        room.storeBytes(of: r, toByteOffset: at(k, 1), as: Lanes.self)
        room.storeBytes(of: scale, toByteOffset: at(k, 2), as: Lanes.self)
        room.storeBytes(of: series, toByteOffset: at(k, 3), as: Lanes.self)
      }
      @inline(__always) func load(_ k: Int, _ slot: Int) -> Lanes {
        room.load(fromByteOffset: at(k, slot), as: Lanes.self)
      }
      if allSigned(within) {
        for k in 0..<b {
          room.storeBytes(of: tanhMiddle((load(k, 1), load(k, 2), load(k, 3))), toByteOffset: at(k, 1), as: Lanes.self)
        }
        for k in 0..<b { output(v0 &+ k, tanhEnd(load(k, 0), expm1: load(k, 1))) }
      } else {
        for k in 0..<b { output(v0 &+ k, tanh(load(k, 0))) }
      }
      v0 &+= b
    }
  }
}

/// `exp` over `count` doubles in place.
public func expInPlace(_ z: UnsafeMutablePointer<Double>, count: Int) { mapInPlace(z, count: count) { exp($0) } }

/// `-log(p)` over `count` doubles in place: each row's cross-entropy from its probability of its
/// own class.
public func negativeLogInPlace(_ p: UnsafeMutablePointer<Double>, count: Int) {
  // A function marked to inline, not a closure: the closure was compiled on its own and called
  // for every vector (278 instructions a vector against 160).
  @inline(__always) func negativeLog(_ x: Lanes) -> Lanes { -log(x) }
  mapInPlace(p, count: count, negativeLog)
}

/// `Σ -log p` over `count` probabilities: the post's data loss from each row's probability of its
/// own class. Each of sixteen lanes multiplies its probabilities together, taking the exponent
/// out after every product so that it never underflows, and takes one log at the end: a
/// sixteenth of the logs of summing them one by one (the dashboard measures the loss every step,
/// and those logs were a seventh of its training time). Where a probability is not a positive
/// normal number (0, a subnormal, NaN) it sums the logs one by one instead.
public func crossEntropy(_ p: UnsafePointer<Double>, count n: Int) -> Double {
  let (L, smallestNormal): (Int, UInt64) = (Lanes.scalarCount, 0x0010_0000_0000_0000)
  var mantissa = Lanes(repeating: 1)  // in [1, 2)
  var exponent = SIMD16<Int64>()
  var i = 0
  while i < n {
    let v = loadPadded(p + i, count: n - i)
    // Positive normal numbers below 2^1023: the product stays a normal number.
    guard allBelow(unsafeBitCast(v, to: Bits.self) &- smallestNormal, 0x7FE0_0000_0000_0000 - smallestNormal) else {
      return negativeLogSum(p, count: n)
    }
    let bits = unsafeBitCast(mantissa * v, to: Bits.self)
    exponent &+= unsafeBitCast(bits &>> 52, to: SIMD16<Int64>.self) &- 1023
    mantissa = unsafeBitCast((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000, to: Lanes.self)
    i += L
  }
  let logs = log(mantissa)
  var total = 0.0
  for l in 0..<L { total += logs[l] + Double(exponent[l]) * 0.693_147_180_559_945_3 }
  return -total
}

/// Whether each of `count` values is above 0 (none is 0, negative or not a number): the step's
/// check that no row's probability of its own class has rounded to 0.
public func allPositive(_ p: UnsafePointer<Double>, count n: Int) -> Bool {
  @inline(__always) func load(_ p: UnsafePointer<Double>) -> Lanes { UnsafeRawPointer(p).loadUnaligned(as: Lanes.self) }
  var positive = SIMDMask<SIMD16<Int64>>(repeating: true)
  var i = 0
  while i + L <= n {
    positive .&= load(p + i) .> 0
    i += L
  }
  // The rest: the last sixteen values again where there are that many.
  if i < n { positive .&= (n >= L ? load(p + n - L) : loadPadded(p + i, count: n - i)) .> 0 }
  return all(positive)
}

/// `Σ -log p` one log at a time (sixteen lanes a vector), summed in order.
private func negativeLogSum(_ p: UnsafePointer<Double>, count n: Int) -> Double {
  let L = Lanes.scalarCount
  var total = 0.0
  var i = 0
  while i < n {
    let logs = log(loadPadded(p + i, count: n - i))
    for j in 0..<min(L, n - i) { total -= logs[j] }
    i += L
  }
  return total
}

/// The next sixteen probabilities from `p`, or the `count` left and ones after them (a one adds
/// nothing to a log sum or a product).
@inline(__always)
private func loadPadded(_ p: UnsafePointer<Double>, count: Int) -> Lanes {
  if count >= Lanes.scalarCount { return UnsafeRawPointer(p).loadUnaligned(as: Lanes.self) }
  var v = Lanes(repeating: 1)
  for j in 0..<count { v[j] = p[j] }
  return v
}

/// The logistic function `1 / (1 + exp(-z))` over `count` doubles in place.
public func sigmoidInPlace(_ z: UnsafeMutablePointer<Double>, count: Int) {
  mapInPlace(z, count: count) { 1 / (1 + exp(-$0)) }
}

/// `max(z, 0)` over `count` doubles in place (NaN becomes 0, as `z > 0 ? z : 0` does).
public func reluInPlace(_ z: UnsafeMutablePointer<Double>, count: Int) {
  for i in 0..<count { z[i] = z[i] > 0 ? z[i] : 0 }
}

/// `δ ∘= 1 - a²`: the post's `delta2 = delta3.dot(W2.T) * (1 - np.power(a1, 2))`.
public func multiplyByTanhDerivative(_ delta: UnsafeMutablePointer<Double>, output a: UnsafePointer<Double>, count: Int)
{
  for i in 0..<count { delta[i] *= 1 - a[i] * a[i] }
}

/// `δ ∘= a (1 - a)`, the logistic function's derivative from its output.
public func multiplyBySigmoidDerivative(
  _ delta: UnsafeMutablePointer<Double>, output a: UnsafePointer<Double>, count: Int
) {
  for i in 0..<count { delta[i] *= a[i] * (1 - a[i]) }
}

/// `δ ∘= [a > 0]`, the rectifier's derivative from its output.
public func multiplyByReluDerivative(_ delta: UnsafeMutablePointer<Double>, output a: UnsafePointer<Double>, count: Int)
{
  for i in 0..<count { delta[i] *= a[i] > 0 ? 1 : 0 }
}

/// Applies `f` to `count` doubles in place, sixteen at a time, the tail through a padded vector.
@inline(__always)
func mapInPlace(_ p: UnsafeMutablePointer<Double>, count n: Int, _ f: (Lanes) -> Lanes) {
  var i = 0
  while i + Lanes.scalarCount <= n {
    let v = UnsafeRawPointer(p + i).loadUnaligned(as: Lanes.self)
    UnsafeMutableRawPointer(p + i).storeBytes(of: f(v), as: Lanes.self)
    i += Lanes.scalarCount
  }
  if i < n {
    var v = Lanes()
    for j in 0..<(n - i) { v[j] = p[i + j] }
    let out = f(v)
    for j in 0..<(n - i) { p[i + j] = out[j] }
  }
}
