import DescentKernels

/// The dropout masks of one training step, one per hidden layer, over every row of the batch:
/// `mask = (random_sample(a.shape) >= p) / (1 - p)`, drawn layer by layer from the input side.
public final class DropoutMasks {
  /// The hidden layers' widths.
  private let widths: [Int]
  private let capacity: Int
  private let masks: [UnsafeMutablePointer<Double>]

  /// Room for masks over up to `rows` rows of hidden layers `widths` wide (readable, as zeros, up
  /// to a whole group of `laneCount` rows past the last, as the one-pass kernel reads them).
  public init(widths: [Int], rows: Int) {
    self.widths = widths
    capacity = rows
    masks = widths.map { width in
      let room = (rows + laneCount) * width
      let mask = UnsafeMutablePointer<Double>.allocate(capacity: room)
      mask.initialize(repeating: 0, count: room)
      return mask
    }
  }

  deinit { for mask in masks { mask.deallocate() } }

  /// Draws this step's masks for `rows` rows from `rng` (numpy's `random_sample((rows, width))`,
  /// row-major, first hidden layer first).
  public func draw(p: Double, rows: Int, rng: inout RandomState) {
    precondition(rows <= capacity, "more rows than the masks have room for")
    let keep = 1 / (1 - p)
    for (l, width) in widths.enumerated() {
      rng.keepMask(into: masks[l], count: rows * width, p: p, keep: keep)
    }
  }

  /// The masks from row `start` on, for one block of rows.
  func rows(from start: Int) -> DropoutRows {
    DropoutRows(masks: zip(masks, widths).map { UnsafePointer($0 + start * $1) })
  }
}

/// The dropout masks of the rows one forward and backward pass works on.
struct DropoutRows {
  let masks: [UnsafePointer<Double>]

  /// `a ← a · mask` for hidden layer `l`, keeping `a` before the mask in `unmasked`.
  @inline(__always)
  func apply(
    layer l: Int, to a: UnsafeMutablePointer<Double>, keeping unmasked: UnsafeMutablePointer<Double>, count: Int
  ) {
    KernelSet.chosen.applyDropout(a, masks[l], unmasked, count)
  }

  /// `δ ← δ · mask` for hidden layer `l`: backpropagation through the same mask.
  @inline(__always)
  func backward(layer l: Int, through delta: UnsafeMutablePointer<Double>, count: Int) {
    KernelSet.chosen.multiplyByMask(delta, masks[l], count)
  }
}
