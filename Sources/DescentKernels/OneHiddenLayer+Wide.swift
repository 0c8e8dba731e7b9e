// The one-pass kernel for wider hidden layers (5 to `oneHiddenLayerUnits` units):
// forward and backward go sixteen rows at a time in SIMD lanes as for the post's network, but the
// gradient sums cannot all stay in registers, so a1 and delta2 are also written by row and the
// sums go over the rows once per panel of eight units, the panel's gradient rows in registers.
// The same numbers as layer by layer, to the last bit: every sum from 0 in the same order, no
// fused multiply-add, the same lane functions.

/// Eight doubles: one panel of a row of a1, delta2 or a gradient.
private typealias Panel = SIMD8<Double>
private var P: Int { Panel.scalarCount }

/// Hidden units per row of the by-row buffers: rounded up to whole panels (the lanes past the
/// last unit are summed and never written out).
@inline(__always)
private func rowWidth(_ hidden: Int) -> Int { (hidden + P - 1) / P * P }

/// Scratch doubles of `wideOnePass` for `ld` rows (a multiple of `laneCount`): a1 and delta2 by
/// row, delta3 by row (four to a row), then one group's a1 by column and its scores, and with
/// dropout the group's f'(a1) before its mask, times the mask's 1 or 0, by column, its rows'
/// draws, and every group's a1 by column.
func wideScratch(ld: Int, hidden: Int) -> Int { ld * (2 * rowWidth(hidden) + 4 + hidden) + L * (2 * hidden + 5) }

/// `oneHiddenLayerGradients` for more than four hidden units.
@inline(__always)
func wideOnePass<S: Shape>(
  _ net: OneHiddenLayerNetwork, _ rows: ColumnRows, _ scratch: UnsafeMutablePointer<Double>,
  _ trueClass: UnsafeMutablePointer<Double>?, _ mask: DropoutBits?, _ awaitMask: (() -> Void)?, _ shape: S
) {
  let (D, H, K, sigmoid) = (shape.D, shape.H, shape.K, net.sigmoid)
  @inline(__always) func derivative(_ a: Lanes) -> Lanes { sigmoid ? a * (1 - a) : 1 - a * a }
  @inline(__always) func load(_ p: UnsafePointer<Double>) -> Lanes { UnsafeRawPointer(p).loadUnaligned(as: Lanes.self) }
  @inline(__always) func store(_ v: Lanes, _ p: UnsafeMutablePointer<Double>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self)
  }
  /// A group of rows' column `v` into `p[r · stride]`, row by row.
  @inline(__always) func scatter(_ v: Lanes, _ p: UnsafeMutablePointer<Double>, _ stride: Int) {
    for r in 0..<L { p[r &* stride] = v[r] }
  }

  let m = rows.count
  let ld = (m + L - 1) / L * L
  let W = rowWidth(H)
  let a1Rows = scratch
  let delta2Rows = a1Rows + ld * W
  let delta3Rows = delta2Rows + ld * W
  let groupA1 = delta3Rows + ld * 4  // one group's a1, by column
  let z = groupA1 + H * L  // one group's scores, becoming delta3
  let slopes = z + 4 * L  // with dropout
  let rowDraws = slopes + H * L  // with dropout, a group's draws' bits a row
  let groupsA1 = rowDraws + L  // with dropout, every group's a1 by column, H x L a group

  /// z1 = X·W1 + b1; a1 = tanh(z1) for the group from row i into `a1`, over the group's units in
  /// one tight loop (as tanhInPlace goes over a layer), so several units' polynomials are in
  /// flight at once.
  @inline(__always) func hiddenLayer(_ i: Int, into a1: UnsafeMutablePointer<Double>) {
    for j in 0..<H {
      var z1 = Lanes()
      for p in 0..<D { z1 = z1 + load(rows.x + p * rows.stride + i) * net.W1[p * H + j] }
      store(z1 + net.b1[j], a1 + j * L)
    }
    if sigmoid { sigmoidInPlace(a1, count: H * L) } else { tanhInPlace(a1, count: H * L) }
  }
  var i = 0
  if mask != nil {
    // With dropout, every group's hidden layer first, while the draws may be made elsewhere.
    while i < m {
      hiddenLayer(i, into: groupsA1 + i * H)
      i += L
    }
    awaitMask?()
    i = 0
  }
  while i < m {
    let a1 = mask == nil ? groupA1 : groupsA1 + i * H
    if mask == nil { hiddenLayer(i, into: a1) }
    if let mask {
      // Each row's bits of the group's draws (up to sixteen units) in a lane of one vector, by way
      // of memory (a vector set lane by lane made a dropout step three times a plain one); then
      // unit j's mask is bit j of each lane.
      let draws = UnsafeMutableRawPointer(rowDraws)
      for r in 0..<L {
        let bits = keptBits(mask.keeps, mask.first &+ (i &+ r) &* H)
        draws.storeBytes(of: bits, toByteOffset: 8 &* r, as: UInt64.self)
      }
      let rowBits = draws.loadUnaligned(as: Bits.self)
      // a1 *= mask, and f'(a1 before its mask) · (1 or 0): `dropoutSlopes`'s numbers
      for j in 0..<H {
        let (a, kept) = (load(a1 + j * L), 0 &- (rowBits &>> UInt64(j) & 1))
        store(derivative(a) * lanes(1, where: kept), slopes + j * L)
        store(a * lanes(mask.keep, where: kept), a1 + j * L)
      }
    }
    for j in 0..<H { scatter(load(a1 + j * L), a1Rows + i * W + j, W) }
    // z2 = a1·W2 + b2
    for k in 0..<K {
      var z2 = Lanes()
      for j in 0..<H { z2 = z2 + load(a1 + j * L) * net.W2[j * K + k] }
      store(z2 + net.b2[k], z + k * L)
    }
    outputDeltas(z, net, rows, from: i, K: K, trueClass)
    for k in 0..<K { scatter(load(z + k * L), delta3Rows + i * 4 + k, 4) }
    // delta2 = delta3·W2ᵀ ∘ f'(a1)
    for j in 0..<H {
      var d2 = Lanes()
      for k in 0..<K { d2 = d2 + load(z + k * L) * net.W2[j * K + k] }
      let d = mask.map { d2 * load(slopes + j * L) * $0.keep } ?? d2 * derivative(load(a1 + j * L))
      scatter(d, delta2Rows + i * W + j, W)
    }
    i += L
  }
  for j0 in stride(from: 0, to: H, by: P) {
    panelSums(net, rows, j0: j0, a1: a1Rows, delta2: delta2Rows, delta3: delta3Rows, width: W, shape)
  }
}

/// The gradients of hidden units `j0 ..< j0 + 8` (those below H): dW1[p, j] = Σ x[i, p] ·
/// delta2[i, j], db1[j] = Σ delta2[i, j], dW2[j, k] = Σ delta3[i, k] · a1[i, j], each summed over
/// the rows in order from 0 with the panel's rows of them in registers; and db2 = Σ delta3 with
/// the first panel.
@inline(__always)
private func panelSums<S: Shape>(
  _ net: OneHiddenLayerNetwork, _ rows: ColumnRows, j0: Int, a1: UnsafePointer<Double>,
  delta2: UnsafePointer<Double>, delta3: UnsafePointer<Double>, width W: Int, _ shape: S
) {
  let (D, H, K) = (shape.D, shape.H, shape.K)
  let s = rows.stride
  let (x0, x1, x2, x3) = (rows.x, rows.x + s, rows.x + 2 * s, rows.x + 3 * s)
  var (w1a, w1b, w1c, w1d) = (Panel(), Panel(), Panel(), Panel())
  var (w2a, w2b, w2c, w2d) = (Panel(), Panel(), Panel(), Panel())
  var (b1, b2) = (Panel(), SIMD4<Double>())
  for i in 0..<rows.count {
    let d2 = UnsafeRawPointer(delta2 + (i &* W &+ j0)).loadUnaligned(as: Panel.self)
    let a = UnsafeRawPointer(a1 + (i &* W &+ j0)).loadUnaligned(as: Panel.self)
    let d3 = delta3 + i &* 4
    b1 = b1 + d2
    w1a = w1a + x0[i] * d2
    if D > 1 { w1b = w1b + x1[i] * d2 }
    if D > 2 { w1c = w1c + x2[i] * d2 }
    if D > 3 { w1d = w1d + x3[i] * d2 }
    w2a = w2a + d3[0] * a
    if K > 1 { w2b = w2b + d3[1] * a }
    if K > 2 { w2c = w2c + d3[2] * a }
    if K > 3 { w2d = w2d + d3[3] * a }
    if j0 == 0 { b2 = b2 + UnsafeRawPointer(d3).loadUnaligned(as: SIMD4<Double>.self) }
  }
  let units = min(P, H - j0)
  // Row by row, not through an array literal (which may be left on the heap).
  @inline(__always) func writeW1(_ row: Panel, _ p: Int) {
    for c in 0..<units { net.dW1[p * H + j0 + c] = row[c] }
  }
  @inline(__always) func writeW2(_ row: Panel, _ k: Int) {
    for c in 0..<units { net.dW2[(j0 + c) * K + k] = row[c] }
  }
  writeW1(w1a, 0)
  if D > 1 { writeW1(w1b, 1) }
  if D > 2 { writeW1(w1c, 2) }
  if D > 3 { writeW1(w1d, 3) }
  writeW2(w2a, 0)
  if K > 1 { writeW2(w2b, 1) }
  if K > 2 { writeW2(w2c, 2) }
  if K > 3 { writeW2(w2d, 3) }
  for c in 0..<units { net.db1[j0 + c] = b1[c] }
  if j0 == 0 { for k in 0..<K { net.db2[k] = b2[k] } }
}
