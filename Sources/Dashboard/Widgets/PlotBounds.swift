import DescentCore
import Foundation

/// The plotted region of the plane: the data's range padded by 0.5 on each side, as the post's
/// `plot_decision_boundary` does.
public struct PlotBounds: Equatable, Sendable {
  public var xMin: Double
  public var xMax: Double
  public var yMin: Double
  public var yMax: Double

  public init(xMin: Double, xMax: Double, yMin: Double, yMax: Double) {
    self.xMin = xMin
    self.xMax = xMax
    self.yMin = yMin
    self.yMax = yMax
  }

  public init(_ sets: [Dataset], padding: Double = 0.5) {
    var (x0, x1, y0, y1) = (Double.infinity, -Double.infinity, Double.infinity, -Double.infinity)
    for data in sets {
      for r in 0..<data.count {
        guard let (x, y) = data.plotted(r) else { break }
        (x0, x1, y0, y1) = (min(x0, x), max(x1, x), min(y0, y), max(y1, y))
      }
    }
    if !x0.isFinite { (x0, x1, y0, y1) = (0, 1, 0, 1) }
    self.init(xMin: x0 - padding, xMax: x1 + padding, yMin: y0 - padding, yMax: y1 + padding)
  }

  /// The bounds of the training points and the test points, if any.
  public init(_ train: Dataset, test: Dataset?) { self.init([train] + (test.map { [$0] } ?? [])) }

  /// These bounds, grown where a point of `data` lies outside them.
  public func including(_ data: Dataset) -> PlotBounds {
    let other = PlotBounds([data], padding: 0)
    return PlotBounds(
      xMin: min(xMin, other.xMin), xMax: max(xMax, other.xMax), yMin: min(yMin, other.yMin), yMax: max(yMax, other.yMax)
    )
  }

  /// The x a `fraction` of the way from `xMin` to `xMax`. Data near the largest doubles has a
  /// width that overflows; then the halves are worked with (the same bits otherwise).
  public func x(at fraction: Double) -> Double { Self.along(xMin, xMax, fraction) }

  /// The y a `fraction` of the way down from `yMax` to `yMin`.
  public func y(fromTop fraction: Double) -> Double { Self.along(yMax, yMin, fraction) }

  /// Where `x` lies from `xMin` (0) to `xMax` (1), and `y` from `yMax` (0) down to `yMin` (1).
  public func fractions(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
    (Self.fraction(x, from: xMin, to: xMax), Self.fraction(y, from: yMax, to: yMin))
  }

  private static func along(_ start: Double, _ end: Double, _ fraction: Double) -> Double {
    let span = end - start
    if span.isFinite { return start + fraction * span }
    return (start / 2 + fraction * (end / 2 - start / 2)) * 2
  }

  private static func fraction(_ value: Double, from start: Double, to end: Double) -> Double {
    let span = end - start
    if span.isFinite { return (value - start) / span }
    return (value / 2 - start / 2) / (end / 2 - start / 2)
  }
}
