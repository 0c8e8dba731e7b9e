import DescentCore
import Foundation

/// The decision regions sampled on a grid: two samples per cell, one above the other, each the
/// most probable class and how confident the network is in it. For regression each sample is the
/// prediction's side of the ramp's centre and how far along the ramp it is; with one input (the
/// sine, drawn as x against the target) the side of the prediction curve a sample is on, so the
/// curve is where the colours meet.
public struct BoundaryLayer: Sendable, Equatable {
  public let columns: Int
  /// Twice the rows of cells.
  public let samplesHigh: Int
  public let classes: [Int]
  /// Per sample, 0 where the classes are equally likely to 1 where one is certain.
  public let confidence: [Double]

  /// Multiply-adds one frame's regions may cost; a larger network is evaluated on a coarser grid
  /// (each sample standing for a square of its neighbours), so a frame stays within a few
  /// milliseconds whatever the shape: 6 layers of 256 units at 250x70 would be 11 G otherwise.
  static let budget = 4_000_000

  /// Evaluates `network` at the centre of every half cell of a `columns x rows` area of `bounds`
  /// (or of every `step`-th one, for a network too large for the budget). A regression network's
  /// predictions are placed on `ramp` (the Playground's −1 to 1 when not given).
  public init(network: Network, bounds: PlotBounds, columns: Int, rows: Int, ramp: RegressionRamp? = nil) {
    self.columns = max(0, columns)
    samplesHigh = max(0, rows) * 2
    if network.task == .regression && network.features.isRaw && network.inputs == 1 && self.columns > 0 {
      (classes, confidence) = Self.curveSides(
        network: network, plane: PlotGrid(bounds: bounds, columns: self.columns, rows: samplesHigh),
        ramp: ramp ?? RegressionRamp(centre: 0, halfRange: 1))
      return
    }
    guard network.readsThePlane, self.columns > 0, samplesHigh > 0 else {
      classes = []
      confidence = []
      return
    }
    let cost = Double(network.parameterCount) * Double(self.columns * samplesHigh)
    let step = max(1, Int((cost / Double(Self.budget)).squareRoot().rounded(.up)))
    let (across, down) = ((self.columns + step - 1) / step, (samplesHigh + step - 1) / step)
    let plane = PlotGrid(bounds: bounds, columns: self.columns, rows: samplesHigh)
    var points = Matrix(rows: across * down, cols: 2)
    for s in 0..<down {
      let y = plane.y(min(samplesHigh - 1, s * step + step / 2))
      for c in 0..<across {
        points[s * across + c, 0] = plane.x(min(self.columns - 1, c * step + step / 2))
        points[s * across + c, 1] = y
      }
    }
    let probs = network.probabilities(points)
    let K = network.classes
    var classes = [Int](repeating: 0, count: self.columns * samplesHigh)
    var confidence = [Double](repeating: 0, count: self.columns * samplesHigh)
    for s in 0..<samplesHigh {
      for c in 0..<self.columns {
        let i = (s / step) * across + c / step
        if network.task == .regression {
          (classes[s * self.columns + c], confidence[s * self.columns + c]) =
            (ramp ?? RegressionRamp(centre: 0, halfRange: 1)).side(probs[i, 0])
          continue
        }
        var best = 0
        for k in 1..<K where probs[i, k] > probs[i, best] { best = k }
        let p = probs[i, best]
        classes[s * self.columns + c] = best
        confidence[s * self.columns + c] = p.isFinite ? min(1, max(0, (p - 1 / Double(K)) / (1 - 1 / Double(K)))) : 0
      }
    }
    self.classes = classes
    self.confidence = confidence
  }

  /// One input: each sample above (1) or below (0) the prediction at its column, and how far
  /// from it along the ramp.
  private static func curveSides(network: Network, plane: PlotGrid, ramp: RegressionRamp) -> ([Int], [Double]) {
    var xs = Matrix(rows: plane.columns, cols: 1)
    for c in 0..<plane.columns { xs.storage[c] = plane.x(c) }
    let yhat = network.predictions(xs)
    var classes = [Int](repeating: 0, count: plane.columns * plane.rows)
    var confidence = [Double](repeating: 0, count: plane.columns * plane.rows)
    for s in 0..<plane.rows {
      let y = plane.y(s)
      for c in 0..<plane.columns {
        let side = ramp.side(ramp.centre + y - yhat[c])
        (classes[s * plane.columns + c], confidence[s * plane.columns + c]) = side
      }
    }
    return (classes, confidence)
  }

  public var isEmpty: Bool { classes.isEmpty }

  public func sample(column: Int, row: Int) -> (class: Int, confidence: Double) {
    let i = row * columns + column
    return (classes[i], confidence[i])
  }
}

/// The size of a plot area in cells, as the screen asks the trainer for its regions.
public struct RegionSize: Sendable, Equatable, Hashable {
  public var columns: Int
  public var rows: Int

  public init(columns: Int, rows: Int) {
    self.columns = columns
    self.rows = rows
  }
}
