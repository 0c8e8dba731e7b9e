import DescentCore

/// How a regression run is coloured: a diverging ramp over the targets' range, its middle the
/// theme's neutral region colour, its ends the first two classes' region colours (so the same
/// fitting to 8 and 16 colours, and the monochrome shade ramp, serve both tasks).
public struct RegressionRamp: Sendable, Equatable {
  /// The value drawn in the neutral colour: the middle of the targets' range.
  public var centre: Double
  /// Half the range: a value this far from the centre takes an end's full colour.
  public var halfRange: Double

  public init(centre: Double, halfRange: Double) {
    self.centre = centre
    self.halfRange = halfRange > 0 && halfRange.isFinite ? halfRange : 1
  }

  /// The ramp over the targets of `sets` (the Playground's −1 to 1 where there are none).
  public init(_ sets: [Dataset]) {
    let targets = sets.flatMap { $0.targets ?? [] }.filter(\.isFinite)
    guard let lo = targets.min(), let hi = targets.max() else {
      self.init(centre: 0, halfRange: 1)
      return
    }
    self.init(centre: (lo + hi) / 2, halfRange: (hi - lo) / 2)
  }

  /// Which end a value falls on (0 below the centre, 1 from it up) and how far along, 0...1,
  /// as a region's class and confidence.
  public func side(_ value: Double) -> (class: Int, confidence: Double) {
    guard value.isFinite else { return (0, 0) }
    return (value >= centre ? 1 : 0, min(1, abs(value - centre) / halfRange))
  }
}

extension Dataset {
  /// Where point `r` is drawn: at its two features, or for one feature (the sine) at its feature
  /// and its target; nil when it has neither.
  func plotted(_ r: Int) -> (x: Double, y: Double)? {
    if features >= 2 { return (X[r, 0], X[r, 1]) }
    if features == 1, let targets { return (X[r, 0], targets[r]) }
    return nil
  }
}

extension Theme {
  /// A point's glyph class and colour: its class's; or, on a regression ramp, the side its
  /// target is on, in the text colour turning to that side's point colour along the ramp.
  func point(_ set: Dataset, _ r: Int, ramp: RegressionRamp?) -> (glyph: Int, color: RGB) {
    guard let ramp, let targets = set.targets else { return (set.y[r], classColor(set.y[r])) }
    let side = ramp.side(targets[r])
    return (side.class, text.mixed(with: classColor(side.class), 0.5 + (side.confidence * 2).rounded() / 4))
  }
}

extension Snapshot {
  /// The colour ramp of a regression run, over its points' targets; nil for classes.
  public var ramp: RegressionRamp? {
    boundaryNetwork.task == .regression ? RegressionRamp([data] + (test.map { [$0] } ?? [])) : nil
  }
}
