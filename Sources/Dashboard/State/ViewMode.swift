import DescentCore

/// What fills the screen besides the knobs and the status line.
public enum ViewMode: String, CaseIterable, Sendable, Equatable {
  /// The decision boundary and the loss chart.
  case boundary
  /// The boundary, with what each first-layer hidden unit computes in place of the loss chart.
  case units
  /// Small multiples: one network per hidden size, all training at once.
  case sweep
  /// The boundary, with the network drawn (units and weights) in place of the loss chart.
  case network
  /// The boundary, with the points in the space of two hidden units in place of the loss chart.
  case hidden
}
