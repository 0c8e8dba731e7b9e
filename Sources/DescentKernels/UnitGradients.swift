// The weight gradients of a block of hidden units, for one hidden layer shared out by units
// between two threads: dW2's rows, dW1's columns and db1 of those units in one pass over the rows,
// every sum in flight together. Three products one after another were a few long chains of
// dependent additions each (two rows of a gemm panel at a time); the same numbers, every sum from
// 0 over the rows in order, no fused multiply-add.

/// For hidden units `j0 ..< j0 + width` (the block's columns 0 ..< width) and `m` rows, from a1 and
/// delta2 by row (`width` a row), X (`D` a row) and delta3 (`K` a row), both at most four:
/// dW2[j, k] = Σ_i a1[i, j] · delta3[i, k] into `dW2` (`K` a row), dW1[p, j] = Σ_i X[i, p] ·
/// delta2[i, j] into `dW1[p · ldw1 + j]`, db1[j] = Σ_i delta2[i, j] into `db1`.
public func unitGradients(
  a1: UnsafePointer<Double>, delta2: UnsafePointer<Double>, width: Int, rows m: Int,
  X: UnsafePointer<Double>, D: Int, delta3: UnsafePointer<Double>, K: Int,
  dW2: UnsafeMutablePointer<Double>, dW1: UnsafeMutablePointer<Double>, ldw1: Int, db1: UnsafeMutablePointer<Double>
) {
  precondition(D <= 4 && K <= 4, "at most four inputs and outputs")
  var j0 = 0
  while j0 < width {
    let rest = width - j0
    if rest >= 8 {
      unitPanel(SIMD8<Double>.self, a1, delta2, width, m, X, D, delta3, K, dW2, dW1, ldw1, db1, j0)
      j0 += 8
    } else if rest >= 4 {
      unitPanel(SIMD4<Double>.self, a1, delta2, width, m, X, D, delta3, K, dW2, dW1, ldw1, db1, j0)
      j0 += 4
    } else if rest >= 2 {
      unitPanel(SIMD2<Double>.self, a1, delta2, width, m, X, D, delta3, K, dW2, dW1, ldw1, db1, j0)
      j0 += 2
    } else {
      unitPanel(SIMD1.self, a1, delta2, width, m, X, D, delta3, K, dW2, dW1, ldw1, db1, j0)
      j0 += 1
    }
  }
}

/// One lane's worth of `SIMD`, for the last column of an odd block.
private typealias SIMD1 = SIMD2<Double>

/// `unitGradients` for columns `j0 ..< j0 + V.scalarCount` (one column when `V` is `SIMD1`).
@inline(__always)
private func unitPanel<V: SIMD>(
  _: V.Type, _ a1: UnsafePointer<Double>, _ delta2: UnsafePointer<Double>, _ width: Int, _ m: Int,
  _ X: UnsafePointer<Double>, _ D: Int, _ delta3: UnsafePointer<Double>, _ K: Int,
  _ dW2: UnsafeMutablePointer<Double>, _ dW1: UnsafeMutablePointer<Double>, _ ldw1: Int,
  _ db1: UnsafeMutablePointer<Double>, _ j0: Int
) where V.Scalar == Double {
  let lanes = min(V.scalarCount, width - j0)
  @inline(__always) func load(_ p: UnsafePointer<Double>) -> V {
    if lanes == V.scalarCount { return UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    var v = V()
    for c in 0..<lanes { v[c] = p[c] }
    return v
  }
  var (w2a, w2b, w2c, w2d) = (V(), V(), V(), V())
  var (w1a, w1b, w1c, w1d) = (V(), V(), V(), V())
  var b1 = V()
  for i in 0..<m {
    let a = load(a1 + (i &* width &+ j0))
    let d2 = load(delta2 + (i &* width &+ j0))
    let (x, d3) = (X + i &* D, delta3 + i &* K)
    w2a = w2a + a * d3[0]
    if K > 1 { w2b = w2b + a * d3[1] }
    if K > 2 { w2c = w2c + a * d3[2] }
    if K > 3 { w2d = w2d + a * d3[3] }
    w1a = w1a + d2 * x[0]
    if D > 1 { w1b = w1b + d2 * x[1] }
    if D > 2 { w1c = w1c + d2 * x[2] }
    if D > 3 { w1d = w1d + d2 * x[3] }
    b1 = b1 + d2
  }
  for c in 0..<lanes {
    let j = j0 + c
    dW2[j * K] = w2a[c]
    if K > 1 { dW2[j * K + 1] = w2b[c] }
    if K > 2 { dW2[j * K + 2] = w2c[c] }
    if K > 3 { dW2[j * K + 3] = w2d[c] }
    dW1[j] = w1a[c]
    if D > 1 { dW1[ldw1 + j] = w1b[c] }
    if D > 2 { dW1[2 * ldw1 + j] = w1c[c] }
    if D > 3 { dW1[3 * ldw1 + j] = w1d[c] }
    db1[j] = b1[c]
  }
}
