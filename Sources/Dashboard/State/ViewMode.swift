import DescentCore

/// What fills the screen besides the knobs and the status line.
public enum ViewMode: String, CaseIterable, Sendable, Equatable {
  /// The decision boundary and the loss chart.
  case boundary
  /// The boundary, with what each first-layer hidden unit computes in place of the loss chart.
  case units
  /// Small multiples: one network per hidden size, all training at once.
  case sweep
  /// The post's training loop beside the current step's numbers, a line at a time (`--view code`).
  case code
  /// The forward and backward equations of the current network (`--view math`).
  case math
  /// The boundary, with the network drawn (units and weights) in place of the loss chart.
  case network
  /// The boundary, with the points in the space of two hidden units in place of the loss chart.
  case hidden
  /// The optimizer race: one panel per optimizer from the same initial weights, and their losses
  /// on one chart.
  case race
  /// The boundary, with each class's accuracy and the confusion matrix in place of the loss chart.
  case classes

  /// Whether the view shows panels of their own trainers (the sweep, the race) instead of the run.
  public var hasPanels: Bool { self == .sweep || self == .race }
}
