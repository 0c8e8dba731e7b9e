// The post's whole network in one kernel: forward propagation, backpropagation and the
// gradient sums for one hidden layer, sixteen rows at a time in SIMD lanes. The layer-by-layer
// kernels make a pass over the rows for every product, and their gradient sums (a sum over 200
// rows for each of a handful of weights) wait on one addition after another; here the rows go
// through the network in three short passes (five with dropout; at the post's 200 rows, over
// data that stays in the first-level cache), and the sums are all kept in flight together.
//
// Every number is the one the layer-by-layer kernels give, to the last bit: each sum adds its
// terms in the same order, with a multiplication and an addition each rounded (no fused
// multiply-add), and exp and tanh are the same lane functions. The sums over a row (z1, z2)
// start from their first term where those kernels start from 0 and add it: 0 + v is v
// except that -0 becomes +0, and a zero's sign never reaches a gradient, which sums from +0 (to
// which ±0 adds nothing), nor exp(z2) (exp(±0) is 1). One addition fewer a sum: 300 instructions
// of the post's 30k a step (AVX2).

/// The shape and parameters of a network with one hidden layer, and where its gradients go.
/// Matrices are row-major: `W1` is inputs x hidden, `W2` hidden x classes. A `regression`
/// network has one linear output and the gradient of `½ Σ (ŷ - y)²` instead of softmax's.
public typealias OneHiddenLayerNetwork = (
  inputs: Int, hidden: Int, classes: Int, sigmoid: Bool, regression: Bool,
  W1: UnsafePointer<Double>, b1: UnsafePointer<Double>, W2: UnsafePointer<Double>, b2: UnsafePointer<Double>,
  dW1: UnsafeMutablePointer<Double>, db1: UnsafeMutablePointer<Double>,
  dW2: UnsafeMutablePointer<Double>, db2: UnsafeMutablePointer<Double>
)

/// The rows one pass trains on, stored by column so `laneCount` rows load as one vector: feature `p` of
/// row `i` at `x[p · stride + i]`, and `oneHot[k · stride + i]` is 1 where row i's class is k,
/// else 0 (for regression, `oneHot[i]` is row i's target). Both are readable (zero) up to the
/// next multiple of `laneCount` rows. `largest[p]` is at least the largest magnitude of feature
/// p over the rows (NaN where one is NaN), for a bound on z1.
public typealias ColumnRows = (
  x: UnsafePointer<Double>, oneHot: UnsafePointer<Double>, stride: Int, count: Int, largest: UnsafePointer<Double>
)

/// The most inputs and classes the one-pass kernel takes: a row of delta3 or of a gradient of W1
/// is one four-lane vector.
public let oneHiddenLayerWidth = 4
/// The most hidden units it takes (above four, `wideOnePass`). It gives the same bits for more,
/// but measured on AVX-512 at 50 units it is about a tenth slower than layer by layer: with rows
/// in lanes a1 and delta2 must also be written by row for the sums, and those scattered stores
/// cost more than the passes over the rows it saves once tanh is most of the step. At 5 units it
/// was a third faster.
public let oneHiddenLayerUnits = 16

/// How many doubles of scratch `oneHiddenLayerGradients` needs for `rows` rows and `hidden` units.
public func oneHiddenLayerScratch(rows: Int, hidden: Int) -> Int {
  let ld = (rows + laneCount - 1) / laneCount * laneCount
  guard hidden <= 4 else { return wideScratch(ld: ld, hidden: hidden) }
  return ld * (5 * oneHiddenLayerWidth) + laneCount * oneHiddenLayerWidth
}

/// How many rows go through the network together, one to a SIMD lane; the columns of
/// `ColumnRows` are readable (zero) up to a multiple of it.
public var laneCount: Int { L }
/// `laneCount` inside the kernels: a constant the compiler sees (a global `let` would be read
/// through a lazy initializer on every use).
var L: Int { Lanes.scalarCount }

/// Four doubles: one row of deltas, or one row of a gradient.
private typealias Row = SIMD4<Double>

/// `scratch` holds `oneHiddenLayerScratch(rows:hidden:)` doubles, zero when first given: above four
/// hidden units, the by-row columns past the last unit or class are never written and must stay
/// zero (up to four, they hold copies of the last).
///
/// Fills `net.dW1`, `db1`, `dW2`, `db2` with the gradient of the summed cross-entropy (or squared
/// error) over the rows (the data term; the caller adds `lambda · W`), as `forward` then
/// `backward` would; and `trueClass[i]` with row i's probability of its own class, when given
/// (classifiers only, for the loss; room for the rows rounded up to a multiple of `laneCount`). Inputs and classes are at most
/// `oneHiddenLayerWidth` each, hidden units at most `oneHiddenLayerUnits`.
///
/// With `dropout`, the hidden layer's mask as bits (`DropoutBits`): a1 = f(z1) · mask, and
/// delta2 = delta3·W2ᵀ ∘ f'(a1 before its mask) · mask, as layer by layer. The bits are read
/// only after `awaitMask` returns, which the kernel calls once the hidden layer's f(z1) is made
/// for every row: the draws can be made on another thread meanwhile. Without `awaitMask`, the bits
/// are made before the call, and the masks go on as each unit's tanh is finished.
public func oneHiddenLayerGradients(
  _ net: OneHiddenLayerNetwork, rows: ColumnRows, scratch: UnsafeMutablePointer<Double>,
  trueClass: UnsafeMutablePointer<Double>?, dropout mask: DropoutBits? = nil, awaitMask: (() -> Void)? = nil
) {
  precondition(
    net.inputs <= 4 && net.hidden <= oneHiddenLayerUnits && net.classes <= 4,
    "at most four inputs and classes, and \(oneHiddenLayerUnits) hidden units")
  guard net.hidden <= 4 else {
    // Two inputs and two classes (the moons at any hidden size) as constants, as below.
    if net.inputs == 2 && net.classes == 2 {
      wideOnePass(net, rows, scratch, trueClass, mask, awaitMask, TwoByTwoWide(H: net.hidden))
    } else {
      wideOnePass(
        net, rows, scratch, trueClass, mask, awaitMask, AnyShape(D: net.inputs, H: net.hidden, K: net.classes))
    }
    return
  }
  // The shapes of the post's network and of its hidden-size knob, with two to four inputs (the
  // input features x1², x2², x1x2 add columns), get a copy of the loop each with the sizes as
  // constants, so the loops over inputs, units and classes unroll (measured: 13% fewer
  // instructions for the post's; with four inputs 45.5k a step as variables); any other shape
  // takes them as variables.
  guard net.classes == 2 && net.inputs >= 2 else {
    return onePass(
      net, rows, scratch, trueClass, mask, awaitMask, AnyShape(D: net.inputs, H: net.hidden, K: net.classes))
  }
  switch net.inputs {
  case 2: onePass(net, rows, scratch, trueClass, mask, awaitMask, Two.self)
  case 3: onePass(net, rows, scratch, trueClass, mask, awaitMask, Three.self)
  default: onePass(net, rows, scratch, trueClass, mask, awaitMask, Four.self)
  }
}

/// `onePass` for `Inputs` inputs, two classes, and the network's hidden units as a constant.
@inline(__always)
private func onePass<Inputs: Count>(
  _ net: OneHiddenLayerNetwork, _ rows: ColumnRows, _ scratch: UnsafeMutablePointer<Double>,
  _ trueClass: UnsafeMutablePointer<Double>?, _ mask: DropoutBits?, _ awaitMask: (() -> Void)?, _: Inputs.Type
) {
  switch net.hidden {
  case 1: onePass(net, rows, scratch, trueClass, mask, awaitMask, Fixed<Inputs, One>())
  case 2: onePass(net, rows, scratch, trueClass, mask, awaitMask, Fixed<Inputs, Two>())
  case 3: onePass(net, rows, scratch, trueClass, mask, awaitMask, Fixed<Inputs, Three>())
  default: onePass(net, rows, scratch, trueClass, mask, awaitMask, Fixed<Inputs, Four>())
  }
}

/// Inputs, hidden units and classes: constants the compiler specializes the kernel for, or not.
protocol Shape {
  var D: Int { get }
  var H: Int { get }
  var K: Int { get }
}
struct AnyShape: Shape { let D, H, K: Int }
/// Two inputs and two classes, and any number of hidden units.
struct TwoByTwoWide: Shape {
  var D: Int { 2 }
  let H: Int
  var K: Int { 2 }
}
/// `Inputs` inputs, `Units` hidden units and two classes (the moons).
private struct Fixed<Inputs: Count, Units: Count>: Shape {
  var D: Int { Inputs.value }
  var H: Int { Units.value }
  var K: Int { 2 }
}
private protocol Count { static var value: Int { get } }
private enum One: Count { static var value: Int { 1 } }
private enum Two: Count { static var value: Int { 2 } }
private enum Three: Count { static var value: Int { 3 } }
private enum Four: Count { static var value: Int { 4 } }

/// `oneHiddenLayerGradients` for a shape: a copy without dropout and one with it, so the plain
/// pass asks nothing about masks.
@inline(__always)
private func onePass<S: Shape>(
  _ net: OneHiddenLayerNetwork, _ rows: ColumnRows, _ scratch: UnsafeMutablePointer<Double>,
  _ trueClass: UnsafeMutablePointer<Double>?, _ mask: DropoutBits?, _ awaitMask: (() -> Void)?, _ shape: S
) {
  if let mask {
    pass(net, rows, scratch, trueClass, mask, awaitMask, shape, Masked.self)
  } else {
    pass(net, rows, scratch, trueClass, nil, nil, shape, Unmasked.self)
  }
}

/// Whether a copy of `pass` has masks, as a type: each copy is compiled with the answer a
/// constant whether or not the compiler inlines it (the plain copy is a call of its own, where
/// `mask` stays a value at run time).
private protocol Masks { static var present: Bool { get } }
private enum Masked: Masks { static var present: Bool { true } }
private enum Unmasked: Masks { static var present: Bool { false } }

/// `onePass` with or without masks (`mask` is given exactly when `M` says so).
@inline(__always)
private func pass<S: Shape, M: Masks>(
  _ net: OneHiddenLayerNetwork, _ rows: ColumnRows, _ scratch: UnsafeMutablePointer<Double>,
  _ trueClass: UnsafeMutablePointer<Double>?, _ mask: DropoutBits?, _ awaitMask: (() -> Void)?, _ shape: S,
  _: M.Type
) {
  let (D, H, K) = (shape.D, shape.H, shape.K)
  let sigmoid = net.sigmoid
  /// a1 = f(z1)
  @inline(__always) func f(_ z: Lanes) -> Lanes { sigmoid ? 1 / (1 + exp(-z)) : tanh(z, rareOutOfLine: true) }

  let m = rows.count
  let ld = (m + L - 1) / L * L
  // Where the last group of rows fills at most half a vector, each pass takes it apart from the
  // loop over the whole groups (`full` rows), in a copy of its work that loads the low halves
  // and stores zeros past them (`half`), so the compiler leaves out the other half's work, which
  // no row needs: at the post's 200 rows, half of the last of 13 groups, 2% of a step. (As a
  // branch inside the loop, LLVM merged the two copies back into one.)
  let last = (m - 1) / L * L
  let full = m - last <= L / 2 ? last : m
  let halfGroup = full < m
  let room = Rooms(scratch, ld: ld)
  let (a1, deltas2, deltas3, z, slopes, scores) = (
    room.a1, room.deltas2, room.deltas3, room.z, room.slopes, room.scores
  )

  // Three passes over the rows (with dropout, the masks' between the first two, and delta2 by
  // row after the last): the hidden layer; z2 and its exp; the divisions and the deltas.
  // Each is a shorter chain of operations a group of rows, so the processor overlaps one group's
  // chain with the next's; in one pass, a group's tanh, exp and divisions were one chain too
  // long for it to see past.
  // z1 = X·W1 + b1; a1 = f(z1)
  @inline(__always) func z1(_ i: Int, unit j: Int, _ half: Bool = false) -> Lanes {
    var z1 = load(rows.x + i, half) * net.W1[j]
    for p in 1..<D { z1 = z1 + load(rows.x + p * rows.stride + i, half) * net.W1[p * H + j] }
    return z1 + net.b1[j]
  }
  /// A first stage's numbers (`Partial`) for one vector at offset `o`, by column as a1 is: r and
  /// 2^k in the deltas' room (free until the third pass), the series at `series`.
  @inline(__always) func stash(_ partial: Partial, _ o: Int, series: UnsafeMutablePointer<Double>, _ half: Bool) {
    store(partial.r, deltas2 + o, half)
    store(partial.scale, deltas3 + o, half)
    store(partial.series, series + o, half)
  }
  @inline(__always) func partial(_ o: Int, series: UnsafeMutablePointer<Double>, _ half: Bool) -> Partial {
    (load(deltas2 + o, half), load(deltas3 + o, half), load(series + o, half))
  }
  /// a1 = a · mask at offset `o`, and f'(a before its mask) · (1 or 0) in the slopes' room:
  /// `dropoutSlopes`'s numbers. Where a is tanh's and never NaN (`finite`), f'(a) = 1 - a² is at
  /// least +0, so f'(a) · 0 is +0 and the mask's bits and f'(a)'s are the product's.
  @inline(__always) func masked(
    _ a: Lanes, _ kept: Bits, _ o: Int, _ keep: Double, finite: Bool = false, _ half: Bool = false
  ) {
    let slope =
      finite
      ? unsafeBitCast(unsafeBitCast(derivative(a, sigmoid: sigmoid), to: Bits.self) & kept, to: Lanes.self)
      : derivative(a, sigmoid: sigmoid) * lanes(1, where: kept)
    store(slope, slopes + o, half)
    store(a * lanes(keep, where: kept), a1 + o, half)
  }
  let staged = !sigmoid && z1InStagesRange(net, rows, D: D, H: H)
  // Masks made before the call go on in tanh's last stage; the others in a pass of their own.
  let early = staged && awaitMask == nil ? mask : nil
  var i = 0
  if staged {
    // tanh in its three stages (`tanhStart`), each a group of rows behind the one before: three
    // short chains for the processor to overlap, where a whole tanh a vector gave it one long
    // one at a time. z1 waits in a1, the series and then t in the slopes' room (free until the
    // masks' slopes replace t).
    @inline(__always) func start(_ i: Int, _ half: Bool) {
      for j in 0..<H {
        let (x, o) = (z1(i, unit: j, half), j * ld + i)
        store(x, a1 + o, half)
        stash(tanhStart(x), o, series: slopes, half)
      }
    }
    @inline(__always) func middle(_ i: Int, _ half: Bool) {
      for j in 0..<H {
        let o = j * ld + i
        store(tanhMiddle(partial(o, series: slopes, half)), slopes + o, half)
      }
    }
    @inline(__always) func end(_ i: Int, _ half: Bool) {
      guard let mask = early else {
        for j in 0..<H {
          let o = j * ld + i
          store(tanhEnd(load(a1 + o, half), expm1: load(slopes + o, half)), a1 + o, half)
        }
        return
      }
      let draws = GroupDraws(mask, from: mask.first &+ i &* H, units: H)
      for j in 0..<H {
        let o = j * ld + i
        let a = tanhEnd(load(a1 + o, half), expm1: load(slopes + o, half))
        masked(a, draws.kept(unit: j), o, mask.keep, finite: true, half)
      }
    }
    while i < full {
      start(i, false)
      if i >= L { middle(i - L, false) }
      if i >= 2 * L { end(i - 2 * L, false) }
      i += L
    }
    // The whole groups' last stages, and the half group's alongside (i is now past the whole
    // groups: `full` where there is a half group).
    if halfGroup { start(i, true) }
    if i >= L { middle(i - L, false) }
    if i >= 2 * L { end(i - 2 * L, false) }
    if halfGroup { middle(i, true) }
    if i >= L { end(i - L, false) }
    if halfGroup { end(i, true) }
  } else {
    while i < m {
      for j in 0..<H { store(f(z1(i, unit: j)), a1 + j * ld + i) }
      i += L
    }
  }
  if let mask, early == nil {
    awaitMask?()
    // The masks in a pass of their own: in the pass above, waiting for draws made elsewhere,
    // they kept the processor from overlapping one unit's tanh with the next's.
    i = 0
    while i < m {
      let draws = GroupDraws(mask, from: mask.first &+ i &* H, units: H)
      for j in 0..<H { masked(load(a1 + j * ld + i), draws.kept(unit: j), j * ld + i, mask.keep) }
      i += L
    }
  }
  // z2 = a1·W2 + b2, and for softmax exp(z2) (shifted where a row's scores are extreme)
  @inline(__always) func z2(_ i: Int, class k: Int, _ half: Bool = false) -> Lanes {
    var z2 = load(a1 + i, half) * net.W2[k]
    for j in 1..<H { z2 = z2 + load(a1 + j * ld + i, half) * net.W2[j * K + k] }
    return z2 + net.b2[k]
  }
  i = 0
  if !net.regression && z2Below690(net, H: H, K: K, largestA1: mask?.keep ?? 1) {
    // No shift, no clamp, so exp in its two stages (`expStart`), as tanh's above: the series
    // where exp(z2) goes.
    @inline(__always) func start(_ i: Int, _ half: Bool) {
      for k in 0..<K { stash(expStart(z2(i, class: k, half)), k * ld + i, series: scores, half) }
    }
    @inline(__always) func end(_ i: Int, _ half: Bool) {
      for k in 0..<K {
        let o = k * ld + i
        store(expEnd(partial(o, series: scores, half)), scores + o, half)
      }
    }
    while i < full {
      start(i, false)
      if i >= L { end(i - L, false) }
      i += L
    }
    if halfGroup { start(i, true) }
    if i >= L { end(i - L, false) }
    if halfGroup { end(i, true) }
  } else {
    while i < m {
      for k in 0..<K { store(z2(i, class: k), z + k * L) }
      if net.regression {
        store(load(z), scores + i)
      } else {
        softmaxExp(z, valid: min(L, m - i), K: K, into: scores + i, stride: ld)
      }
      i += L
    }
  }
  /// The group from row i's delta2, by column in the slopes' room, into its room by row (the last
  /// unit repeated past H, as `deltas` stores it without masks).
  @inline(__always) func delta2ByRow(_ i: Int, half: Bool) {
    let d0 = load(slopes + i, half)
    let d1 = H > 1 ? load(slopes + ld + i, half) : d0
    let d2 = H > 2 ? load(slopes + 2 * ld + i, half) : d1
    storeByRow(d0, d1, d2, H > 3 ? load(slopes + 3 * ld + i, half) : d2, deltas2 + i * 4, half: half)
  }
  if halfGroup { deltas(from: full, net, rows, room, trueClass, mask, shape, M.self, half: true) }
  i = 0
  while i < full {
    deltas(from: i, net, rows, room, trueClass, mask, shape, M.self, half: false)
    i += L
  }
  if M.present {
    // The masked delta2 went by column into the slopes' room (`deltas`); now by row, for the sums.
    if halfGroup { delta2ByRow(full, half: true) }
    i = 0
    while i < full {
      delta2ByRow(i, half: false)
      i += L
    }
  }
  if K <= 2 {
    sumOverRows(net, rows, a1: a1, ld: ld, delta2: deltas2, delta3: deltas3, D: D, H: H, K: K, SIMD2<Double>.self)
  } else {
    sumOverRows(net, rows, a1: a1, ld: ld, delta2: deltas2, delta3: deltas3, D: D, H: H, K: K, Row.self)
  }
}

/// Where `pass` keeps its numbers in the scratch: by column, a group of rows a vector, a1 (H x
/// ld). By row, delta2 four to a row, delta3 four or, up to two classes, two (room for ld x 4
/// each). Then one group's delta3 by column (K vectors, `z`); with dropout, f'(a1) before its mask
/// times the mask's 1 or 0, by column (H x ld); and exp(z2) by column (K x ld).
private struct Rooms {
  let a1, deltas2, deltas3, z, slopes, scores: UnsafeMutablePointer<Double>
  let ld: Int

  @inline(__always)
  init(_ scratch: UnsafeMutablePointer<Double>, ld: Int) {
    (a1, deltas2, deltas3, self.ld) = (scratch, scratch + 4 * ld, scratch + 8 * ld, ld)
    z = deltas3 + ld * 4
    slopes = z + 4 * L
    scores = slopes + 4 * ld
  }
}

/// `pass`'s third pass for the group of rows from i: delta3 from exp(z2) (or ŷ), and delta2,
/// both by row into their rooms; with `half`, for the first half of the group only. Transparent:
/// marked only to inline, it was left a call (with `half` a variable) once `pass` had grown.
@_transparent
private func deltas<S: Shape, M: Masks>(
  from i: Int, _ net: OneHiddenLayerNetwork, _ rows: ColumnRows, _ room: Rooms,
  _ trueClass: UnsafeMutablePointer<Double>?, _ mask: DropoutBits?, _ shape: S, _: M.Type, half: Bool
) {
  let (H, K, z, ld) = (shape.H, shape.K, room.z, room.ld)
  // delta3 = exp(z2) / Σ exp(z2) - y (or ŷ - y for regression)
  if net.regression {
    store(load(room.scores + i, half) - load(rows.oneHot + i, half), z, half)
  } else {
    softmaxDeltas(exp: room.scores + i, stride: ld, into: z, rows, from: i, K: K, trueClass, half: half)
  }
  // By row, the last class or unit repeated in the columns past it (their sums are never
  // written out; a copy, not zeros, so the rows are plain shuffles). Up to two classes, two to
  // a row.
  let e0 = load(z, half)
  let e1 = K > 1 ? load(z + L, half) : e0
  if K <= 2 {
    storeByRow(e0, e1, room.deltas3 + i * 2, half: half)
  } else {
    let e2 = load(z + 2 * L, half)
    storeByRow(e0, e1, e2, K > 3 ? load(z + 3 * L, half) : e2, room.deltas3 + i * 4, half: half)
  }
  // delta2 = delta3·W2ᵀ ∘ f'(a1), e.g. (1 - a1²)
  @inline(__always) func delta2(_ j: Int) -> Lanes {
    // From 0, as layer by layer: from its first term, LLVM's SLP vectorizer rebuilt the masked
    // delta2 and the transposition below across units with shuffles (dropout 5% slower, AVX-512).
    var d2 = Lanes()
    for k in 0..<K { d2 = d2 + load(z + k * L, half) * net.W2[j * K + k] }
    guard let mask else { return d2 * derivative(load(room.a1 + j * ld + i, half), sigmoid: net.sigmoid) }
    return d2 * load(room.slopes + j * ld + i, half) * mask.keep
  }
  if M.present {
    // By column, over the slopes each has read, and by row in a pass of its own (`pass`): by
    // row here, LLVM took the products apart lane by lane and redid them across units with
    // shuffles, half again the instructions. The plain copy's are kept apart by its branch on
    // `mask`, a value at run time there; with `mask` a constant nil it fell into the same trap.
    for j in 0..<H { store(delta2(j), room.slopes + j * ld + i, half) }
    return
  }
  let d0 = delta2(0)
  let d1 = H > 1 ? delta2(1) : d0
  let d2 = H > 2 ? delta2(2) : d1
  let d3 = H > 3 ? delta2(3) : d2
  storeByRow(d0, d1, d2, d3, room.deltas2 + i * 4, half: half)
}

/// f'(z1) from a1: 1 - a1² for tanh, a1 (1 - a1) for the logistic function.
@inline(__always)
private func derivative(_ a: Lanes, sigmoid: Bool) -> Lanes { sigmoid ? a * (1 - a) : 1 - a * a }

/// A vector from `p`, or with `half` its low half from `p` and zeros: the last group of rows
/// where they fill at most half a vector (`pass`).
@inline(__always)
private func load(_ p: UnsafePointer<Double>, _ half: Bool = false) -> Lanes {
  guard half else { return UnsafeRawPointer(p).loadUnaligned(as: Lanes.self) }
  return Lanes(lowHalf: UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Double>.self), highHalf: SIMD8())
}

/// Stores `v` at `p`, or with `half` its low half and zeros.
@inline(__always)
private func store(_ v: Lanes, _ p: UnsafeMutablePointer<Double>, _ half: Bool = false) {
  UnsafeMutableRawPointer(p).storeBytes(of: half ? Lanes(lowHalf: v.lowHalf, highHalf: SIMD8()) : v, as: Lanes.self)
}

/// Whether every unit's z1 is below `tanhStagesLimit` in magnitude for any of the rows, by the
/// bound Σ largest|x_p| · |W1[p, j]| + |b1[j]| (false where it is NaN).
@inline(__always)
private func z1InStagesRange(_ net: OneHiddenLayerNetwork, _ rows: ColumnRows, D: Int, H: Int) -> Bool {
  for j in 0..<H {
    var bound = net.b1[j].magnitude
    for p in 0..<D { bound += rows.largest[p] * net.W1[p * H + j].magnitude }
    guard bound < tanhStagesLimit else { return false }
  }
  return true
}

/// Whether every score z2 is below 690 in magnitude for any of the rows, by the bound
/// Σ largestA1 · |W2[j, k]| + |b2[k]| (false where it is NaN): then no row needs the shift of
/// `shiftExtremeRows` (past 700) and no exp its clamp (past 708).
@inline(__always)
private func z2Below690(_ net: OneHiddenLayerNetwork, H: Int, K: Int, largestA1: Double) -> Bool {
  for k in 0..<K {
    var bound = net.b2[k].magnitude
    for j in 0..<H { bound += largestA1 * net.W2[j * K + k].magnitude }
    guard bound < 690 else { return false }
  }
  return true
}

/// A group of rows' two columns into `p` by row, two to a row: `p[r · 2 + c]` is column c's lane
/// r. Four rows at a time, each one shuffle of two vectors, where four to a row takes two rounds
/// of shuffles of four.
@inline(__always)
private func storeByRow(_ c0: Lanes, _ c1: Lanes, _ p: UnsafeMutablePointer<Double>, half: Bool) {
  let out = UnsafeMutableRawPointer(p)
  @inline(__always) func rows(_ r: Int) {
    let four = SIMD8(c0[r], c1[r], c0[r + 1], c1[r + 1], c0[r + 2], c1[r + 2], c0[r + 3], c1[r + 3])
    out.storeBytes(of: four, toByteOffset: 16 * r, as: SIMD8<Double>.self)
  }
  rows(0)
  rows(4)
  guard !half else { return }
  rows(8)
  rows(12)
}

/// A group of rows' four columns into `p` by row, four to a row: `p[r · 4 + c]` is column c's
/// lane r. Four rows at a time, each a transpose of four-lane vectors with constant lanes (which
/// compiles to shuffles, where a loop over the rows picked lanes from the stack).
@inline(__always)
private func storeByRow(
  _ c0: Lanes, _ c1: Lanes, _ c2: Lanes, _ c3: Lanes, _ p: UnsafeMutablePointer<Double>, half: Bool
) {
  @inline(__always) func rows(
    _ a: SIMD4<Double>, _ b: SIMD4<Double>, _ c: SIMD4<Double>, _ d: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>
  ) {
    let out = UnsafeMutableRawPointer(p)
    out.storeBytes(of: SIMD4(a[0], b[0], c[0], d[0]), as: SIMD4<Double>.self)
    out.storeBytes(of: SIMD4(a[1], b[1], c[1], d[1]), toByteOffset: 32, as: SIMD4<Double>.self)
    out.storeBytes(of: SIMD4(a[2], b[2], c[2], d[2]), toByteOffset: 64, as: SIMD4<Double>.self)
    out.storeBytes(of: SIMD4(a[3], b[3], c[3], d[3]), toByteOffset: 96, as: SIMD4<Double>.self)
  }
  let (l0, l1, l2, l3) = (c0.lowHalf, c1.lowHalf, c2.lowHalf, c3.lowHalf)
  let (h0, h1, h2, h3) = (c0.highHalf, c1.highHalf, c2.highHalf, c3.highHalf)
  rows(l0.lowHalf, l1.lowHalf, l2.lowHalf, l3.lowHalf, p)
  rows(l0.highHalf, l1.highHalf, l2.highHalf, l3.highHalf, p + 16)
  guard !half else { return }
  rows(h0.lowHalf, h1.lowHalf, h2.lowHalf, h3.lowHalf, p + 32)
  rows(h0.highHalf, h1.highHalf, h2.highHalf, h3.highHalf, p + 48)
}

/// The hidden layer's dropout mask for the one-pass kernel, straight from the draws' bits
/// (`dropoutKeeps`): the mask of row i and unit j is `keep` if draw `first + i · hidden + j` is
/// kept (bit d % 16 of `keeps[d / 16]`), else 0. `keeps` is readable (bits of any value) up to a
/// whole group of `laneCount` rows past the last, and eight bytes past that.
public typealias DropoutBits = (keeps: UnsafePointer<UInt16>, first: Int, keep: Double)

/// A group of rows' draws for the one-pass kernel's masks, up to four units a row: a 64-bit read
/// from the group's first draw on (its low 49 bits or more are draws) and, for four units, one
/// from its ninth row's first.
private struct GroupDraws {
  let first: UInt64
  let ninth: UInt64
  let units: Int

  /// The draws of the group whose first draw is `d` (`DropoutBits`).
  @inline(__always)
  init(_ bits: DropoutBits, from d: Int, units: Int) {
    @inline(__always) func word(_ d: Int) -> UInt64 {
      UnsafeRawPointer(bits.keeps + (d &>> 4)).loadUnaligned(as: UInt64.self) &>> UInt64(d & 15)
    }
    // Up to three units, sixteen rows fit the first word: 15 · 3 + 2 < 64 - 15.
    (first, ninth, self.units) = (word(d), units <= 3 ? 0 : word(d &+ 8 &* units), units)
  }

  /// Unit j's mask: lane r all ones where the draw of row r and unit j is kept, else zero. Each
  /// lane's bit shifted to the top, then spread over the lane.
  @inline(__always)
  func kept(unit j: Int) -> Bits {
    let H = UInt64(units)
    let rows = SIMD8<UInt64>(0, 1, 2, 3, 4, 5, 6, 7)
    let (word, later) = units <= 3 ? (first, rows &+ 8) : (ninth, rows)
    let top = Bits(
      lowHalf: SIMD8(repeating: first) &<< (63 &- (rows &* H &+ UInt64(j))),
      highHalf: SIMD8(repeating: word) &<< (63 &- (later &* H &+ UInt64(j))))
    return unsafeBitCast(unsafeBitCast(top, to: SIMD16<Int64>.self) &>> 63, to: Bits.self)
  }
}

/// `value` in the lanes a mask (`GroupDraws.kept`, all ones or zero) sets, else 0: the mask as a
/// number, 1 or 0, or `keep` or 0 (the same bits as `dropoutSlopes`' `kept * keep`).
@inline(__always)
func lanes(_ value: Double, where kept: Bits) -> Lanes {
  unsafeBitCast(Bits(repeating: value.bitPattern) & kept, to: Lanes.self)
}

/// One group of rows' outputs `z` (K vectors, by column) become delta3: `softmaxDeltas`, or
/// for regression ŷ - y, as layer by layer.
@inline(__always)
func outputDeltas(
  _ z: UnsafeMutablePointer<Double>, _ net: OneHiddenLayerNetwork, _ rows: ColumnRows, from i: Int, K: Int,
  _ trueClass: UnsafeMutablePointer<Double>?
) {
  guard net.regression else { return softmaxDeltas(z, rows, from: i, K: K, trueClass) }
  let (yhat, y) = (
    UnsafeRawPointer(z).loadUnaligned(as: Lanes.self), UnsafeRawPointer(rows.oneHot + i).loadUnaligned(as: Lanes.self)
  )
  UnsafeMutableRawPointer(z).storeBytes(of: yhat - y, as: Lanes.self)
}

/// One group of rows' scores `z` (K vectors, by column) become delta3 = probs - one-hot(y), with
/// probs = exp(z2) / Σ exp(z2) as `softmaxRows` makes them; each row's probability of its own
/// class goes to `trueClass` when given.
@inline(__always)
func softmaxDeltas(
  _ z: UnsafeMutablePointer<Double>, _ rows: ColumnRows, from i: Int, K: Int, _ trueClass: UnsafeMutablePointer<Double>?
) {
  softmaxExp(z, valid: min(L, rows.count - i), K: K, into: z, stride: L)
  softmaxDeltas(exp: z, stride: L, into: z, rows, from: i, K: K, trueClass)
}

/// One group of rows' scores `z` (K vectors, by column; `valid` rows of them) shifted where a row
/// is extreme (`shiftExtremeRows`), then their exp into `out` (K vectors `stride` apart; it may be `z`).
@inline(__always)
func softmaxExp(
  _ z: UnsafeMutablePointer<Double>, valid: Int, K: Int, into out: UnsafeMutablePointer<Double>, stride: Int
) {
  shiftExtremeRows(z, classes: K, valid: valid)
  for k in 0..<K {
    let e = exp(UnsafeRawPointer(z + k * L).loadUnaligned(as: Lanes.self))
    UnsafeMutableRawPointer(out + k * stride).storeBytes(of: e, as: Lanes.self)
  }
}

/// From one group of rows' exp(z2) (K vectors `stride` apart), delta3 = exp / Σ exp - one-hot(y)
/// into `out` (K vectors, by column; it may be `exp`), and each row's probability of its own class
/// into `trueClass` when given; with `half`, the first half of the group's rows.
@inline(__always)
func softmaxDeltas(
  exp e: UnsafePointer<Double>, stride: Int, into out: UnsafeMutablePointer<Double>, _ rows: ColumnRows,
  from i: Int, K: Int, _ trueClass: UnsafeMutablePointer<Double>?, half: Bool = false
) {
  // From the first term (0 + v is v: no exp is -0).
  var sum = load(e, half)
  for k in 1..<K { sum = sum + load(e + k * stride, half) }
  var own = Lanes()
  for k in 0..<K {
    let probs = load(e + k * stride, half) / sum
    let y = load(rows.oneHot + k * rows.stride + i, half)
    own = own + probs * y
    store(probs - y, out + k * L, half)
  }
  if let trueClass { store(own, trueClass + i, half) }
}

/// Where a row of scores would overflow or underflow `exp`, shifts it by its maximum as
/// `softmaxRows` does (the probabilities are unchanged). Scores are by column, a group of rows a vector.
@inline(__always)
func shiftExtremeRows(_ z: UnsafeMutablePointer<Double>, classes K: Int, valid: Int) {
  // Lanes whose magnitude is above 700 (or NaN): all ones; the rest zero.
  var extreme = Bits()
  for k in 0..<K {
    let bits = unsafeBitCast(UnsafeRawPointer(z + k * L).loadUnaligned(as: Lanes.self), to: Bits.self)
    extreme |= below(limit700, bits & 0x7FFF_FFFF_FFFF_FFFF)
  }
  guard (extreme & 1).wrappedSum() > 0 else { return }
  for r in 0..<valid {
    var top = -Double.infinity
    for k in 0..<K { top = max(top, z[k * L + r]) }
    if (top > 700 || top < -700) && top.isFinite {
      for k in 0..<K { z[k * L + r] -= top }
    }
  }
}

private var limit700: Bits { Bits(repeating: 700.0.bitPattern) }

/// dW2 = a1ᵀ·delta3, db2 = Σ delta3, dW1 = Xᵀ·delta2, db1 = Σ delta2: each sum over the rows in
/// row order, from 0, and all of them advanced together one row at a time, a row of each
/// gradient in one register: `dW2[j, :] += a1[i, j] · delta3[i, :]`, `dW1[p, :] += x[i, p] ·
/// delta2[i, :]`. delta3's rows are `Classes` (two or four doubles).
@inline(__always)
private func sumOverRows<Classes: SIMD<Double>>(
  _ net: OneHiddenLayerNetwork, _ rows: ColumnRows, a1: UnsafePointer<Double>, ld: Int,
  delta2: UnsafePointer<Double>, delta3: UnsafePointer<Double>, D: Int, H: Int, K: Int, _: Classes.Type
) {
  // The columns of x and a1 (a column past the last is never read).
  let s = rows.stride
  let (x0, x1, x2, x3) = (rows.x, rows.x + s, rows.x + 2 * s, rows.x + 3 * s)
  let (a0, a1, a2, a3) = (a1, a1 + ld, a1 + 2 * ld, a1 + 3 * ld)
  var (w1a, w1b, w1c, w1d) = (Row(), Row(), Row(), Row())
  var (w2a, w2b, w2c, w2d) = (Classes(), Classes(), Classes(), Classes())
  var (b1, b2) = (Row(), Classes())
  for i in 0..<rows.count {
    let d2 = UnsafeRawPointer(delta2 + i &* 4).loadUnaligned(as: Row.self)
    let d3 = UnsafeRawPointer(delta3 + i &* Classes.scalarCount).loadUnaligned(as: Classes.self)
    b1 = b1 + d2
    b2 = b2 + d3
    w1a = w1a + x0[i] * d2
    if D > 1 { w1b = w1b + x1[i] * d2 }
    if D > 2 { w1c = w1c + x2[i] * d2 }
    if D > 3 { w1d = w1d + x3[i] * d2 }
    w2a = w2a + a0[i] * d3
    if H > 1 { w2b = w2b + a1[i] * d3 }
    if H > 2 { w2c = w2c + a2[i] * d3 }
    if H > 3 { w2d = w2d + a3[i] * d3 }
  }
  func write<V: SIMD<Double>>(_ row: V, _ out: UnsafeMutablePointer<Double>, _ count: Int) {
    for c in 0..<count { out[c] = row[c] }
  }
  // Row by row, not through an array literal (which may be left on the heap: two allocations a step).
  write(w1a, net.dW1, H)
  if D > 1 { write(w1b, net.dW1 + H, H) }
  if D > 2 { write(w1c, net.dW1 + 2 * H, H) }
  if D > 3 { write(w1d, net.dW1 + 3 * H, H) }
  write(w2a, net.dW2, K)
  if H > 1 { write(w2b, net.dW2 + K, K) }
  if H > 2 { write(w2c, net.dW2 + 2 * K, K) }
  if H > 3 { write(w2d, net.dW2 + 3 * K, K) }
  write(b1, net.db1, H)
  write(b2, net.db2, K)
}
