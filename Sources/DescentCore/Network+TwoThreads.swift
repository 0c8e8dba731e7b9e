// One pass over a batch of up to `Workspace.blockRows` rows on both cores. Forward propagation and
// the deltas of backpropagation are row by row, so the rows are split in two and each half goes
// through on its own thread; the weight gradients are sums over all the rows in row order, so
// they wait for both halves, then each thread sums whole layers (every sum over all the rows, in
// order, as on one thread). Every number is the one-thread pass's, to the last bit.

extension Network {
  /// Whether a pass over `m` rows is long enough to gain from a second thread: waking it and
  /// waiting for it cost a few microseconds, about what 2,000 hidden activations take.
  func gainsFromTwoThreads(rows m: Int) -> Bool {
    var units = 0
    for l in layers.indices.dropLast() { units += layers[l].W.cols }
    return m >= 32 && m * units >= 4096
  }

  /// `gradients` layer by layer, the rows of forward propagation and of the deltas shared out
  /// between two threads (the second using `ws.helperTransposed`), then the layers' sums.
  func gradientsOnTwoThreads(
    _ X: UnsafePointer<Double>, labels y: [Int], offset: Int, rows m: Int, in ws: Workspace,
    probabilities: UnsafeMutablePointer<Double>?, targets: [Double]?, dropout: DropoutRows?
  ) {
    // The first half a multiple of four rows, as the matrix products go.
    let half = (m / 2 + 3) / 4 * 4
    dropout?.source.makeDraws()
    onTwoThreads { part in
      let (start, count) = part == 0 ? (0, half) : (half, m - half)
      let rows = dropout?.rows(from: start)
      forward(X + start * inputs, rows: count, into: ws, first: start, dropout: rows)
      if let probabilities {
        let (probs, K) = (ws.outputs[layers.count - 1], classes)
        for i in start..<start + count { probabilities[i] = probs[i * K + y[offset + i]] }
      }
      backpropagateDeltas(
        labels: y, offset: offset + start, rows: count, first: start, in: ws, targets: targets, dropout: rows,
        scratch: part == 0 ? ws.transposed : ws.helperTransposed)
    }
    // The output layer's sums on one thread, the rest on the other (for the post's shape, dW2
    // against dW1: about the same work).
    let last = layers.count - 1
    onTwoThreads { part in
      sumGradients(
        X, rows: m, in: ws, layers: part == 0 ? last..<last + 1 : 0..<last,
        scratch: part == 0 ? ws.transposed : ws.helperTransposed)
    }
  }
}
