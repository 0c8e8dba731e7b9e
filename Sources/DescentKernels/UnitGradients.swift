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
  let block = (a1, width, m, X, D, delta3, K, dW2, dW1, ldw1, db1)
  eachPanel(width) { V, j0 in unitPanel(V, block, j0, delta2: delta2, W2: nil, slopes: nil, keep: 1) }
}

/// `unitGradients` with delta2 made in the same pass instead of read: from delta3 and the block's
/// rows of W2 (`K` a row), delta2 = delta3·W2ᵀ ∘ (1 - a1²) for a tanh layer, or with dropout
/// (whatever the activation) `(delta3·W2ᵀ · slope) · keep` from `dropoutSlopes`' slopes; to the bit as
/// `matmulTransposedB` then `multiplyByTanhDerivative` or `multiplyBySlopes` make it (a sum from 0
/// over the classes in order). Saves writing delta2 and two more passes over the block.
public func unitGradientsFromDelta3(
  a1: UnsafePointer<Double>, W2: UnsafePointer<Double>, slopes: UnsafePointer<Double>?, keep: Double, width: Int,
  rows m: Int, X: UnsafePointer<Double>, D: Int, delta3: UnsafePointer<Double>, K: Int,
  dW2: UnsafeMutablePointer<Double>, dW1: UnsafeMutablePointer<Double>, ldw1: Int, db1: UnsafeMutablePointer<Double>
) {
  precondition(D <= 4 && K <= 4, "at most four inputs and outputs")
  let block = (a1, width, m, X, D, delta3, K, dW2, dW1, ldw1, db1)
  guard let slopes else { return tanhPanels(block, W2: W2) }
  slopePanels(block, W2: W2, slopes: slopes, keep: keep)
}

// Each way of making delta2 compiled on its own: in one function, the compiler inlined the panels
// of only one of the two (measured: 48k more instructions a 200 x 50 step for the other).

/// `unitGradientsFromDelta3` for tanh without dropout.
@inline(never)
private func tanhPanels(_ block: Block, W2: UnsafePointer<Double>) {
  eachPanel(block.width) { V, j0 in unitPanel(V, block, j0, delta2: nil, W2: W2, slopes: nil, keep: 1) }
}

/// `unitGradientsFromDelta3` with dropout's slopes.
@inline(never)
private func slopePanels(_ block: Block, W2: UnsafePointer<Double>, slopes: UnsafePointer<Double>, keep: Double) {
  eachPanel(block.width) { V, j0 in unitPanel(V, block, j0, delta2: nil, W2: W2, slopes: slopes, keep: keep) }
}

/// A block of units' part of the step (see `unitGradients`).
private typealias Block = (
  a1: UnsafePointer<Double>, width: Int, m: Int, X: UnsafePointer<Double>, D: Int, delta3: UnsafePointer<Double>,
  K: Int, dW2: UnsafeMutablePointer<Double>, dW1: UnsafeMutablePointer<Double>, ldw1: Int,
  db1: UnsafeMutablePointer<Double>
)

/// Panel widths in units, one after another: eight, then four, two, one.
private enum Panel: Int { case eight = 8, four = 4, two = 2, one = 1 }

/// `body` for each panel of a block `width` units wide, with its first unit.
@inline(__always)
private func eachPanel(_ width: Int, _ body: (Panel, Int) -> Void) {
  var j0 = 0
  while j0 < width {
    let rest = width - j0
    let panel: Panel = rest >= 8 ? .eight : rest >= 4 ? .four : rest >= 2 ? .two : .one
    body(panel, j0)
    j0 += panel.rawValue
  }
}

/// `unitPanel` for a panel width.
@inline(__always)
private func unitPanel(
  _ panel: Panel, _ b: Block, _ j0: Int, delta2: UnsafePointer<Double>?, W2: UnsafePointer<Double>?,
  slopes: UnsafePointer<Double>?, keep: Double
) {
  switch panel {
  case .eight: unitPanel(SIMD8<Double>.self, b, j0, delta2, W2, slopes, keep)
  case .four: unitPanel(SIMD4<Double>.self, b, j0, delta2, W2, slopes, keep)
  case .two: unitPanel(SIMD2<Double>.self, b, j0, delta2, W2, slopes, keep)
  case .one: unitPanel(SIMD1.self, b, j0, delta2, W2, slopes, keep)
  }
}

/// One lane's worth of `SIMD`, for the last column of an odd block.
private typealias SIMD1 = SIMD2<Double>

/// `unitGradients` for columns `j0 ..< j0 + V.scalarCount` (one column when `V` is `SIMD1`), with
/// delta2 read from `delta2` or made from W2 and tanh's derivative, or dropout's slopes and `keep`.
@inline(__always)
private func unitPanel<V: SIMD>(
  _: V.Type, _ b: Block, _ j0: Int, _ delta2: UnsafePointer<Double>?, _ W2: UnsafePointer<Double>?,
  _ slopes: UnsafePointer<Double>?, _ keep: Double
) where V.Scalar == Double {
  let (a1, width, m, X, D, delta3, K) = (b.a1, b.width, b.m, b.X, b.D, b.delta3, b.K)
  let lanes = min(V.scalarCount, width - j0)
  @inline(__always) func load(_ p: UnsafePointer<Double>) -> V {
    if lanes == V.scalarCount { return UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    var v = V()
    for c in 0..<lanes { v[c] = p[c] }
    return v
  }
  /// Column k of the panel's rows of W2 (for delta2 = delta3·W2ᵀ), as a vector over its units.
  @inline(__always) func w2(_ k: Int) -> V {
    var v = V()
    if let W2 { for c in 0..<lanes { v[c] = W2[(j0 + c) * K + k] } }
    return v
  }
  let (w20, w21, w22, w23) = (w2(0), K > 1 ? w2(1) : V(), K > 2 ? w2(2) : V(), K > 3 ? w2(3) : V())
  var (w2a, w2b, w2c, w2d) = (V(), V(), V(), V())
  var (w1a, w1b, w1c, w1d) = (V(), V(), V(), V())
  var b1 = V()
  for i in 0..<m {
    let at = i &* width &+ j0
    let a = load(a1 + at)
    let (x, d3) = (X + i &* D, delta3 + i &* K)
    var d2: V
    if let delta2 {
      d2 = load(delta2 + at)
    } else {
      d2 = V() + V(repeating: d3[0]) * w20
      if K > 1 { d2 = d2 + V(repeating: d3[1]) * w21 }
      if K > 2 { d2 = d2 + V(repeating: d3[2]) * w22 }
      if K > 3 { d2 = d2 + V(repeating: d3[3]) * w23 }
      if let slopes {
        d2 = d2 * load(slopes + at) * keep
      } else {
        d2 = d2 * (1 - a * a)
      }
    }
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
  let (dW2, dW1, ldw1, db1) = (b.dW2, b.dW1, b.ldw1, b.db1)
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
