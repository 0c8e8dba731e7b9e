import Foundation

// The few dense kernels one iteration needs, on raw row-major buffers so the hot loop neither
// allocates nor bounds-checks. Shapes are given as (rows x cols).

/// `C[i, j] = Σ_p A(i, p) · B(p, j)` with `A(i, p) = A[i · rowStride + p · colStride]` and B
/// row-major with `ldb` columns. Every sum starts from 0 and adds p = 0, 1, 2, ... in order, as
/// a plain triple loop would, so the result is the same to the last bit whatever the blocking:
/// four rows at a time (one or two for the last), up to sixteen columns at a time in SIMD lanes.
/// `adding`: every sum starts from C's value instead, so a sum over p split in two parts, the
/// second adding to the first's C, is the whole sum to the last bit.
public func gemm(
  m: Int, n: Int, k: Int, _ A: UnsafePointer<Double>, rowStride: Int, colStride: Int,
  _ B: UnsafePointer<Double>, ldb: Int, into C: UnsafeMutablePointer<Double>, adding: Bool = false
) {
  // Each a copy of its own, so the plain product checks nothing for `adding` (a constant there).
  if adding {
    gemm(m, n, k, A, rowStride, colStride, B, ldb, C, adding: true)
  } else {
    gemm(m, n, k, A, rowStride, colStride, B, ldb, C, adding: false)
  }
}

/// `gemm`, inlined into each of its two callers.
@inline(__always)
private func gemm(
  _ m: Int, _ n: Int, _ k: Int, _ A: UnsafePointer<Double>, _ rowStride: Int, _ colStride: Int,
  _ B: UnsafePointer<Double>, _ ldb: Int, _ C: UnsafeMutablePointer<Double>, adding: Bool
) {
  // Sums of a few terms (z1 = X·W1 for two inputs, delta3·W2ᵀ for two classes): no long chain of
  // additions to keep apart, so down the rows sixteen columns a vector, B's few rows loaded once.
  if k <= 4 && n >= 4 {
    if k == 2 {
      shortSums(m, n, 2, A, rowStride, colStride, B, ldb, C, adding)
    } else {
      shortSums(m, n, k, A, rowStride, colStride, B, ldb, C, adding)
    }
    return
  }
  let whole = m / 4 * 4
  if whole > 0 {
    forEachPanel(n, widest: 8) { j0, width in
      switch width {
      case 8: panel(SIMD8<Double>.self, whole, n, k, A, rowStride, colStride, B, ldb, C, j0, adding)
      case 4: panel(SIMD4<Double>.self, whole, n, k, A, rowStride, colStride, B, ldb, C, j0, adding)
      case 2:
        // Two columns (z2 = a1·W2 for two classes): eight rows at a time, then the last four.
        let eights = whole / 8 * 8
        pairPanel(eights, n, k, A, rowStride, colStride, B, ldb, C, j0, adding)
        if eights < whole {
          panel(
            SIMD2<Double>.self, whole - eights, n, k, A + eights * rowStride, rowStride, colStride, B, ldb,
            C + eights * n, j0, adding)
        }
      default: column(whole, n, k, A, rowStride, colStride, B, ldb, C, j0, adding)
      }
    }
  }
  // The last one to three rows (all of them when m < 4, as for a weight gradient of two inputs):
  // one or two rows at a time, sixteen columns a panel, so the few long sums still have eight
  // registers of independent additions in flight.
  var i = whole
  while i < m {
    let (a, c, pair) = (A + i * rowStride, C + i * n, i + 1 < m)
    forEachPanel(n, widest: 16) { j0, width in
      switch width {
      case 16: rowPair(SIMD16<Double>.self, pair, n, k, a, rowStride, colStride, B, ldb, c, j0, adding)
      case 8: rowPair(SIMD8<Double>.self, pair, n, k, a, rowStride, colStride, B, ldb, c, j0, adding)
      case 4: rowPair(SIMD4<Double>.self, pair, n, k, a, rowStride, colStride, B, ldb, c, j0, adding)
      case 2: rowPair(SIMD2<Double>.self, pair, n, k, a, rowStride, colStride, B, ldb, c, j0, adding)
      default: column(pair ? 2 : 1, n, k, a, rowStride, colStride, B, ldb, c, j0, adding)
      }
    }
    i += 2
  }
}

/// `gemm` for sums of `k` ≤ 4 terms: each vector of a row starts from 0 and adds its k products
/// in order. A panel of columns at a time down all the rows, its k rows of B loaded once.
@inline(__always)
private func shortSums(
  _ m: Int, _ n: Int, _ k: Int, _ A: UnsafePointer<Double>, _ rs: Int, _ cs: Int,
  _ B: UnsafePointer<Double>, _ ldb: Int, _ C: UnsafeMutablePointer<Double>, _ adding: Bool
) {
  @inline(__always) func panel<V: SIMD>(_: V.Type, _ j0: Int) where V.Scalar == Double {
    @inline(__always) func row(_ p: Int) -> V {
      p < k ? UnsafeRawPointer(B + (p &* ldb &+ j0)).loadUnaligned(as: V.self) : V()
    }
    let (b0, b1, b2, b3) = (row(0), row(1), row(2), row(3))
    var (a, c) = (A, C + j0)
    for _ in 0..<m {
      var sum = adding ? UnsafeRawPointer(c).loadUnaligned(as: V.self) : V()
      if k > 0 { sum = sum + V(repeating: a[0]) * b0 }
      if k > 1 { sum = sum + V(repeating: a[cs]) * b1 }
      if k > 2 { sum = sum + V(repeating: a[2 &* cs]) * b2 }
      if k > 3 { sum = sum + V(repeating: a[3 &* cs]) * b3 }
      UnsafeMutableRawPointer(c).storeBytes(of: sum, as: V.self)
      a += rs
      c += n
    }
  }
  forEachPanel(n, widest: 16) { j0, width in
    switch width {
    case 16: panel(SIMD16<Double>.self, j0)
    case 8: panel(SIMD8<Double>.self, j0)
    case 4: panel(SIMD4<Double>.self, j0)
    case 2: panel(SIMD2<Double>.self, j0)
    default:
      for i in 0..<m {
        let (a, c) = (A + i &* rs, C + (i &* n &+ j0))
        var sum = adding ? c[0] : 0
        for p in 0..<k { sum += a[p &* cs] * B[p &* ldb &+ j0] }
        c[0] = sum
      }
    }
  }
}

/// The columns `j0 ..< j0 + V.scalarCount` of one row of `gemm` (`A` and `C` at that row), and of
/// the next row too when `pair`.
@inline(__always)
private func rowPair<V: SIMD>(
  _: V.Type, _ pair: Bool, _ n: Int, _ k: Int, _ A: UnsafePointer<Double>, _ rs: Int, _ cs: Int,
  _ B: UnsafePointer<Double>, _ ldb: Int, _ C: UnsafeMutablePointer<Double>, _ j0: Int, _ adding: Bool
) where V.Scalar == Double {
  let b = UnsafeRawPointer(B + j0)
  @inline(__always) func start(_ row: Int) -> V {
    adding ? UnsafeRawPointer(C + row * n + j0).loadUnaligned(as: V.self) : V()
  }
  var (c0, c1) = (start(0), pair ? start(1) : V())
  let a1 = pair ? A + rs : A
  for p in 0..<k {
    let row = b.loadUnaligned(fromByteOffset: p * ldb * 8, as: V.self)
    c0 = c0 + V(repeating: A[p * cs]) * row
    c1 = c1 + V(repeating: a1[p * cs]) * row
  }
  UnsafeMutableRawPointer(C + j0).storeBytes(of: c0, as: V.self)
  if pair { UnsafeMutableRawPointer(C + n + j0).storeBytes(of: c1, as: V.self) }
}

/// The columns `j0 ..< j0 + V.scalarCount` of the first `m` rows of `gemm` (a multiple of four),
/// four rows at a time: four independent sums in flight, so a long sum (k = 200 rows of data for
/// a weight gradient) is not one chain of dependent additions.
@inline(__always)
private func panel<V: SIMD>(
  _: V.Type, _ m: Int, _ n: Int, _ k: Int, _ A: UnsafePointer<Double>, _ rs: Int, _ cs: Int,
  _ B: UnsafePointer<Double>, _ ldb: Int, _ C: UnsafeMutablePointer<Double>, _ j0: Int, _ adding: Bool
) where V.Scalar == Double {
  let b = UnsafeRawPointer(B + j0)
  @inline(__always) func start(_ row: Int) -> V {
    adding && row < m ? UnsafeRawPointer(C + row * n + j0).loadUnaligned(as: V.self) : V()
  }
  var i = 0
  while i < m {
    let rows = min(4, m - i)
    var (c0, c1, c2, c3) = (start(i), start(i + 1), start(i + 2), start(i + 3))
    let a0 = A + i * rs
    let a1 = A + min(i + 1, m - 1) * rs
    let a2 = A + min(i + 2, m - 1) * rs
    let a3 = A + min(i + 3, m - 1) * rs
    for p in 0..<k {
      let row = b.loadUnaligned(fromByteOffset: p * ldb * 8, as: V.self)
      c0 = c0 + V(repeating: a0[p * cs]) * row
      c1 = c1 + V(repeating: a1[p * cs]) * row
      c2 = c2 + V(repeating: a2[p * cs]) * row
      c3 = c3 + V(repeating: a3[p * cs]) * row
    }
    UnsafeMutableRawPointer(C + i * n + j0).storeBytes(of: c0, as: V.self)
    if rows > 1 { UnsafeMutableRawPointer(C + (i + 1) * n + j0).storeBytes(of: c1, as: V.self) }
    if rows > 2 { UnsafeMutableRawPointer(C + (i + 2) * n + j0).storeBytes(of: c2, as: V.self) }
    if rows > 3 { UnsafeMutableRawPointer(C + (i + 3) * n + j0).storeBytes(of: c3, as: V.self) }
    i += 4
  }
}

/// Columns `j0` and `j0 + 1` of the first `m` rows of `gemm` (a multiple of eight), eight rows at
/// a time: two columns fill only a sixteenth of a vector register, so eight sums are in flight to
/// keep the adder busy while each waits for the one before (a product of two classes, z2 = a1·W2,
/// was one chain of four rows' additions after another).
@inline(__always)
private func pairPanel(
  _ m: Int, _ n: Int, _ k: Int, _ A: UnsafePointer<Double>, _ rs: Int, _ cs: Int,
  _ B: UnsafePointer<Double>, _ ldb: Int, _ C: UnsafeMutablePointer<Double>, _ j0: Int, _ adding: Bool
) {
  typealias V = SIMD2<Double>
  let b = UnsafeRawPointer(B + j0)
  @inline(__always) func start(_ row: Int) -> V {
    adding ? UnsafeRawPointer(C + (row &* n &+ j0)).loadUnaligned(as: V.self) : V()
  }
  @inline(__always) func store(_ v: V, _ row: Int) {
    UnsafeMutableRawPointer(C + (row &* n &+ j0)).storeBytes(of: v, as: V.self)
  }
  var i = 0
  while i < m {
    var (c0, c1, c2, c3) = (start(i), start(i &+ 1), start(i &+ 2), start(i &+ 3))
    var (c4, c5, c6, c7) = (start(i &+ 4), start(i &+ 5), start(i &+ 6), start(i &+ 7))
    let a = A + i &* rs
    let (a1, a2, a3) = (a + rs, a + 2 &* rs, a + 3 &* rs)
    let (a4, a5, a6, a7) = (a + 4 &* rs, a + 5 &* rs, a + 6 &* rs, a + 7 &* rs)
    for p in 0..<k {
      let row = b.loadUnaligned(fromByteOffset: p &* ldb &* 8, as: V.self)
      let o = p &* cs
      c0 = c0 + V(repeating: a[o]) * row
      c1 = c1 + V(repeating: a1[o]) * row
      c2 = c2 + V(repeating: a2[o]) * row
      c3 = c3 + V(repeating: a3[o]) * row
      c4 = c4 + V(repeating: a4[o]) * row
      c5 = c5 + V(repeating: a5[o]) * row
      c6 = c6 + V(repeating: a6[o]) * row
      c7 = c7 + V(repeating: a7[o]) * row
    }
    store(c0, i)
    store(c1, i &+ 1)
    store(c2, i &+ 2)
    store(c3, i &+ 3)
    store(c4, i &+ 4)
    store(c5, i &+ 5)
    store(c6, i &+ 6)
    store(c7, i &+ 7)
    i &+= 8
  }
}

/// One column `j0` of `gemm`, four rows at a time as `panel` does.
@inline(__always)
private func column(
  _ m: Int, _ n: Int, _ k: Int, _ A: UnsafePointer<Double>, _ rs: Int, _ cs: Int,
  _ B: UnsafePointer<Double>, _ ldb: Int, _ C: UnsafeMutablePointer<Double>, _ j0: Int, _ adding: Bool
) {
  @inline(__always) func start(_ row: Int) -> Double { adding && row < m ? C[row * n + j0] : 0 }
  var i = 0
  while i < m {
    let rows = min(4, m - i)
    var (c0, c1, c2, c3) = (start(i), start(i + 1), start(i + 2), start(i + 3))
    let a0 = A + i * rs
    let a1 = A + min(i + 1, m - 1) * rs
    let a2 = A + min(i + 2, m - 1) * rs
    let a3 = A + min(i + 3, m - 1) * rs
    for p in 0..<k {
      let b = B[p * ldb + j0]
      c0 += a0[p * cs] * b
      c1 += a1[p * cs] * b
      c2 += a2[p * cs] * b
      c3 += a3[p * cs] * b
    }
    C[i * n + j0] = c0
    if rows > 1 { C[(i + 1) * n + j0] = c1 }
    if rows > 2 { C[(i + 2) * n + j0] = c2 }
    if rows > 3 { C[(i + 3) * n + j0] = c3 }
    i += 4
  }
}

/// `C = A·B` for A (m x k) and B (k x n): the forward pass `z = a·W`.
public func matmul(
  _ A: UnsafePointer<Double>, _ B: UnsafePointer<Double>, into C: UnsafeMutablePointer<Double>,
  m: Int, k: Int, n: Int
) {
  gemm(m: m, n: n, k: k, A, rowStride: k, colStride: 1, B, ldb: n, into: C)
}

/// `C = Aᵀ·B` for A (k x m) and B (k x n): the weight gradient `dW = aᵀ·δ`. A tall, narrow C
/// (50 hidden units by 2 classes) is worked out as `Cᵀ = Bᵀ·A` in `scratch` (m x n) and
/// transposed: the same products in the same order, with the sums along the wide side.
public func matmulTransposedA(
  _ A: UnsafePointer<Double>, _ B: UnsafePointer<Double>, into C: UnsafeMutablePointer<Double>,
  k: Int, m: Int, n: Int, scratch: UnsafeMutablePointer<Double>
) {
  guard n < 4 && m > n else {
    gemm(m: m, n: n, k: k, A, rowStride: 1, colStride: m, B, ldb: n, into: C)
    return
  }
  gemm(m: n, n: m, k: k, B, rowStride: 1, colStride: n, A, ldb: m, into: scratch)
  for i in 0..<m {
    for j in 0..<n { C[i * n + j] = scratch[j * m + i] }
  }
}

/// `C = A·Bᵀ` for A (m x k) and B (n x k): the backward pass `δ·Wᵀ`. `scratch` holds Bᵀ (k x n).
public func matmulTransposedB(
  _ A: UnsafePointer<Double>, _ B: UnsafePointer<Double>, into C: UnsafeMutablePointer<Double>,
  m: Int, k: Int, n: Int, scratch: UnsafeMutablePointer<Double>
) {
  for j in 0..<n {
    for p in 0..<k { scratch[p * n + j] = B[j * k + p] }
  }
  gemm(m: m, n: n, k: k, A, rowStride: k, colStride: 1, UnsafePointer(scratch), ldb: n, into: C)
}

/// `z += b` broadcast over the rows of z (m x n).
public func addRowVector(_ b: UnsafePointer<Double>, to z: UnsafeMutablePointer<Double>, m: Int, n: Int) {
  forEachPanel(n) { j0, width in
    switch width {
    case 8: addPanel(SIMD8<Double>.self, b, z, m, n, j0)
    case 4: addPanel(SIMD4<Double>.self, b, z, m, n, j0)
    case 2: addPanel(SIMD2<Double>.self, b, z, m, n, j0)
    default: for i in 0..<m { z[i * n + j0] += b[j0] }
    }
  }
}

@inline(__always)
private func addPanel<V: SIMD>(
  _: V.Type, _ b: UnsafePointer<Double>, _ z: UnsafeMutablePointer<Double>, _ m: Int, _ n: Int, _ j0: Int
) where V.Scalar == Double {
  let bias = UnsafeRawPointer(b + j0).loadUnaligned(as: V.self)
  for i in 0..<m {
    let row = UnsafeMutableRawPointer(z + i * n + j0)
    row.storeBytes(of: row.loadUnaligned(as: V.self) + bias, as: V.self)
  }
}

/// `s = Σ_rows δ` (`np.sum(delta, axis=0)`): the bias gradient, each column summed from 0 down
/// the rows in order.
public func columnSums(_ A: UnsafePointer<Double>, into s: UnsafeMutablePointer<Double>, m: Int, n: Int) {
  forEachPanel(n) { j0, width in
    switch width {
    case 8: sumPanel(SIMD8<Double>.self, A, s, m, n, j0)
    case 4: sumPanel(SIMD4<Double>.self, A, s, m, n, j0)
    case 2: sumPanel(SIMD2<Double>.self, A, s, m, n, j0)
    default:
      var sum = 0.0
      for i in 0..<m { sum += A[i * n + j0] }
      s[j0] = sum
    }
  }
}

@inline(__always)
private func sumPanel<V: SIMD>(
  _: V.Type, _ A: UnsafePointer<Double>, _ s: UnsafeMutablePointer<Double>, _ m: Int, _ n: Int, _ j0: Int
) where V.Scalar == Double {
  var sum = V()
  for i in 0..<m { sum = sum + UnsafeRawPointer(A + i * n + j0).loadUnaligned(as: V.self) }
  UnsafeMutableRawPointer(s + j0).storeBytes(of: sum, as: V.self)
}

/// Splits `n` columns into panels of `widest` (16 or 8), then 8, 4, 2 and 1, left to right.
@inline(__always)
private func forEachPanel(_ n: Int, widest: Int = 8, _ body: (_ j0: Int, _ width: Int) -> Void) {
  var j0 = 0
  while j0 < n {
    var width = widest
    while width > n - j0 { width /= 2 }
    body(j0, width)
    j0 += width
  }
}

/// A classifier's output layer over a block of `m` rows of `n` scores `z`, by row: z + b, the
/// probabilities (left in `z`), delta3 = probs - one-hot(labels), and each row's probability of
/// its own class into `own` when given; to the bit as `addRowVector`, `softmaxRows` and then
/// subtracting 1 at each row's label. Two classes go eight rows a vector: their sum is of the
/// even and odd lanes, and the one-hot a lane pattern, where the steps one by one were scalar
/// loops over the rows (measured 2-3 µs of a 200 x 50 step's second thread).
public func softmaxDeltaRows(
  _ z: UnsafeMutablePointer<Double>, bias b: UnsafePointer<Double>, labels: UnsafePointer<Int>,
  delta3: UnsafeMutablePointer<Double>, own: UnsafeMutablePointer<Double>?, m: Int, n: Int
) {
  var i = 0
  if n == 2 {
    let bias = interleave(SIMD8(repeating: b[0]), SIMD8(repeating: b[1]))
    while i + 8 <= m {
      let v = UnsafeRawPointer(z + 2 * i).loadUnaligned(as: Lanes.self) + bias
      // A score past ±700 (or NaN) may need softmaxRows' shift: those eight rows go one by one.
      guard allBelow(unsafeBitCast(v, to: Bits.self) & 0x7FFF_FFFF_FFFF_FFFF, 700.0.bitPattern + 1) else {
        UnsafeMutableRawPointer(z + 2 * i).storeBytes(of: v, as: Lanes.self)
        softmaxDeltaRowsOneByOne(z + 2 * i, labels + i, delta3 + 2 * i, own.map { $0 + i }, m: 8, n: 2)
        i += 8
        continue
      }
      let e = exp(v)
      let sum = e.evenHalf + e.oddHalf  // 0 + e0 + e1, as softmaxRows adds
      let probs = e / interleave(sum, sum)
      UnsafeMutableRawPointer(z + 2 * i).storeBytes(of: probs, as: Lanes.self)
      let second = UnsafeRawPointer(labels + i).loadUnaligned(as: SIMD8<Int64>.self) .== 1
      let isSecond = SIMD8<Double>(repeating: 0).replacing(with: 1, where: second)
      let oneHot = interleave(1 - isSecond, isSecond)
      UnsafeMutableRawPointer(delta3 + 2 * i).storeBytes(of: probs - oneHot, as: Lanes.self)
      if let own {
        let mine = probs.evenHalf.replacing(with: probs.oddHalf, where: second)
        UnsafeMutableRawPointer(own + i).storeBytes(of: mine, as: SIMD8<Double>.self)
      }
      i += 8
    }
  }
  guard i < m else { return }
  addRowVector(b, to: z + i * n, m: m - i, n: n)
  softmaxDeltaRowsOneByOne(z + i * n, labels + i, delta3 + i * n, own.map { $0 + i }, m: m - i, n: n)
}

/// `softmaxDeltaRows` after the bias, with `softmaxRows` and a loop over the rows.
private func softmaxDeltaRowsOneByOne(
  _ z: UnsafeMutablePointer<Double>, _ labels: UnsafePointer<Int>, _ delta3: UnsafeMutablePointer<Double>,
  _ own: UnsafeMutablePointer<Double>?, m: Int, n: Int
) {
  softmaxRows(z, m: m, n: n)
  delta3.update(from: z, count: m * n)
  for r in 0..<m {
    own?[r] = z[r * n + labels[r]]
    delta3[r * n + labels[r]] -= 1
  }
}

/// `(a0, b0, a1, b1, …)`: two columns of eight rows as the rows' pairs.
@inline(__always)
private func interleave(_ a: SIMD8<Double>, _ b: SIMD8<Double>) -> Lanes {
  Lanes(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3], a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7])
}

/// Turns each row of scores into probabilities in place: `exp(z) / Σ exp(z)`. Like the post it
/// exponentiates the raw scores; only a row that would overflow or underflow `exp` is shifted by
/// its maximum first, which leaves the probabilities unchanged.
public func softmaxRows(_ z: UnsafeMutablePointer<Double>, m: Int, n: Int) {
  for i in 0..<m {
    let row = z + i * n
    var top = -Double.infinity
    for j in 0..<n { top = max(top, row[j]) }
    if (top > 700 || top < -700) && top.isFinite {
      for j in 0..<n { row[j] -= top }
    }
  }
  expInPlace(z, count: m * n)
  for i in 0..<m {
    let row = z + i * n
    var sum = 0.0
    for j in 0..<n { sum += row[j] }
    for j in 0..<n { row[j] /= sum }
  }
}
