import Synchronization

// One hidden layer on both cores, shared out by hidden units rather than by rows. Split by rows,
// each core's a1 and delta2 are half the rows, but every weight gradient sums over all the rows,
// so half of a1 and delta2 (80 KB a step at 200 rows x 50 units) moves from one core's cache to
// the other's. Split by units, each core keeps its units of every row: z1, a1, delta2, the
// units' rows of dW2 and columns of dW1 and db1 never leave it. Only z2 = a1·W2 sums over all the
// units: the first thread's sum over its units is where the second's starts (`gemm`'s `adding`),
// the first going through its forward pass and that sum a block of rows at a time, so the second
// follows close behind once its own forward pass is done; the second then finishes the output
// layer (softmax, delta3), which both read back. With dropout the second thread makes the step's
// draws as it starts and each thread masks its units of every row. Every sum is the one-thread
// pass's, in the same order, so every number is the same to the last bit.

extension Network {
  /// Rows of z2 the first thread hands over at a time.
  private static var handOverRows: Int { 32 }

  /// `gradients` for one hidden layer on two threads by units (see above).
  func gradientsByUnitsOnTwoThreads(
    _ X: UnsafePointer<Double>, labels y: [Int], offset: Int, rows m: Int, in ws: Workspace,
    probabilities: UnsafeMutablePointer<Double>?, targets: [Double]?, dropout: DropoutRows?
  ) {
    let (D, H, K) = (inputs, layers[0].W.cols, layers[1].W.cols)
    // The second thread also sums z2 over its units after the first's and finishes the output
    // layer: it gets the fewer units, 7/16 (measured at 200 x 50 against 1/2, 15/32 and 13/32).
    // With dropout it also makes the step's draws as it starts (about eight units' forward pass
    // at 200 x 50), while the first computes its units' z1 and a1, which need no mask until the
    // end (the first makes them itself if the second has not started by then): the first gets
    // about 5/8 of the units, to a multiple of four when that is a unit away, since the gradients
    // go a panel of 8, 4, 2 or 1 units at a time, a pass over the rows each (at 30 and 40 units,
    // 20 and 24 against 19 and 25 took 1.20x and 1.19x a plain step against 1.25x; 32 of 50 is
    // already one).
    let fiveEighths = H - H * 3 / 8
    let fours = (fiveEighths + 2) / 4 * 4
    let first = min(
      H - 1, dropout == nil ? (H * 9 + 8) / 16 : abs(fours - fiveEighths) <= 1 ? fours : fiveEighths)
    let (z2, delta3) = (ws.outputs[1], ws.deltas[1])
    let kernels = KernelSet.chosen
    /// Part `part`'s first unit, its units, and its a1, delta2, dW1 columns and dropout slopes.
    func share(_ part: Int) -> (
      j0: Int, width: Int, a1: UnsafeMutablePointer<Double>, delta2: UnsafeMutablePointer<Double>,
      dW1: UnsafeMutablePointer<Double>, slopes: UnsafeMutablePointer<Double>
    ) {
      let (j0, width) = part == 0 ? (0, first) : (first, H - first)
      let a1 = ws.unitBlocks + m * j0
      let dW1 = ws.unitBlocks + 2 * m * H + D * j0
      return (j0, width, a1, a1 + m * H, dW1, ws.unitBlocks + 2 * m * H + D * H + m * j0)
    }
    let handedOver = Atomic<Int>(0)
    layers[0].W.storage.withUnsafeBufferPointer { W1 in
      layers[1].W.storage.withUnsafeBufferPointer { W2 in
        let (W1, W2) = (W1.baseAddress!, W2.baseAddress!)
        onTwoThreads { part in
          if part == 1 { dropout?.source.makeDraws() }
          let (j0, width, a1, _, _, slopes) = share(part)
          /// z1 = X·W1 + b1 and a1 = f(z1) of `rows`, this part's units, and with `masking` the
          /// dropout mask in the same pass.
          func forward(_ rows: Range<Int>, masking: Bool = false) {
            let out = a1 + rows.lowerBound * width
            kernels.gemm(rows.count, width, D, X + rows.lowerBound * D, D, 1, W1 + j0, H, out, false)
            layers[0].b.withUnsafeBufferPointer {
              let b = $0.baseAddress! + j0
              guard masking, let dropout else {
                return activation.applyInPlace(out, adding: b, m: rows.count, n: width)
              }
              dropout.rows(from: rows.lowerBound).apply(
                rows: rows.count, units: j0..<j0 + width, to: out, slopes: slopes + rows.lowerBound * width,
                activation: activation, adding: b)
            }
          }
          // The first part goes a block of rows at a time, so the second can sum z2 over its units
          // as soon as its own forward pass is done; with dropout, whose mask waits for the draws,
          // the first part's forward pass comes first, while the second makes them, then masks its
          // own units as it makes them.
          let byBlocks = part == 0 && dropout == nil
          if part == 1 {
            forward(0..<m, masking: true)
          } else if !byBlocks {
            forward(0..<m)
            dropout?.apply(rows: m, units: j0..<j0 + width, to: a1, slopes: slopes, activation: activation)
          }
          // z2 = a1·W2: the first part's units from 0, the second's from there on.
          for r in stride(from: 0, to: m, by: Self.handOverRows) {
            let rows = min(Self.handOverRows, m - r)
            if part == 0 {
              if byBlocks { forward(r..<r + rows) }
              kernels.gemm(rows, K, width, a1 + r * width, width, 1, W2, K, z2 + r * K, false)
              handedOver.store(r + rows, ordering: .releasing)
              continue
            }
            // The first part runs on the other thread, or ran before this one on this thread.
            while handedOver.load(ordering: .acquiring) < r + rows {}
            kernels.gemm(rows, K, width, a1 + r * width, width, 1, W2 + j0 * K, K, z2 + r * K, true)
            outputLayer(
              rows: r..<r + rows, labels: y, offset: offset, in: ws, probabilities: probabilities, targets: targets)
          }
        }
        onTwoThreads { part in
          let (j0, width, a1, delta2, dW1, slopes) = share(part)
          // db2 with the second part.
          if part == 1 { columnSums(delta3, into: ws.gradB[1], m: m, n: K) }
          // With dropout, f'(a1 before its mask) · (1 or 0) from the forward pass, then the kept value.
          let keep = dropout?.source.kept
          // dW2's rows, dW1's columns and db1 of these units: with tanh or dropout (and up to four
          // inputs and outputs) in the pass that makes their delta2.
          if makesDelta2InGradientPass(dropout: keep != nil) {
            kernels.unitGradientsFromDelta3(
              a1, W2 + j0 * K, keep == nil ? nil : slopes, keep ?? 1, width, m, X, D, delta3, K, ws.gradW[1] + j0 * K,
              ws.gradW[0] + j0, H, ws.gradB[0] + j0)
            return
          }
          let scratch = part == 0 ? ws.transposed : ws.helperTransposed
          // delta2 = delta3·W2ᵀ ∘ f'(a1) (∘ mask), this part's units.
          matmulTransposedB(delta3, W2 + j0 * K, into: delta2, m: m, k: K, n: width, scratch: scratch)
          if let keep {
            kernels.multiplyBySlopes(delta2, slopes, keep, m * width)
          } else {
            activation.multiplyByDerivative(delta2, output: a1, count: m * width)
          }
          // Then their gradients (in one pass for up to four inputs and outputs).
          if D <= 4 && K <= 4 {
            kernels.unitGradients(
              a1, delta2, width, m, X, D, delta3, K, ws.gradW[1] + j0 * K, ws.gradW[0] + j0, H, ws.gradB[0] + j0)
          } else {
            matmulTransposedA(a1, delta3, into: ws.gradW[1] + j0 * K, k: m, m: width, n: K, scratch: scratch)
            matmulTransposedA(X, delta2, into: dW1, k: m, m: D, n: width, scratch: scratch)
            for p in 0..<D { (ws.gradW[0] + p * H + j0).update(from: dW1 + p * width, count: width) }
            columnSums(delta2, into: ws.gradB[0] + j0, m: m, n: width)
          }
        }
      }
    }
  }

  /// The output layer of `rows` once z2 = a1·W2 is summed there: + b2, softmax (for a classifier),
  /// each row's probability of its own class, and delta3 = probs - onehot (or ŷ - y).
  private func outputLayer(
    rows: Range<Int>, labels y: [Int], offset: Int, in ws: Workspace, probabilities: UnsafeMutablePointer<Double>?,
    targets: [Double]?
  ) {
    let K = classes
    let (z2, delta3) = (ws.outputs[1] + rows.lowerBound * K, ws.deltas[1] + rows.lowerBound * K)
    guard task == .regression, let targets else {
      layers[1].b.withUnsafeBufferPointer { b in
        y.withUnsafeBufferPointer { y in
          KernelSet.chosen.softmaxDeltaRows(
            z2, b.baseAddress!, y.baseAddress! + offset + rows.lowerBound, delta3,
            probabilities.map { $0 + rows.lowerBound }, rows.count, K)
        }
      }
      return
    }
    layers[1].b.withUnsafeBufferPointer { addRowVector($0.baseAddress!, to: z2, m: rows.count, n: K) }
    delta3.update(from: z2, count: rows.count * K)
    for (r, i) in rows.enumerated() { delta3[r] -= targets[offset + i] }
  }
}
