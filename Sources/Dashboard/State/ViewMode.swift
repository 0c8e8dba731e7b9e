import DescentCore

/// What fills the screen besides the knobs and the status line.
public enum ViewMode: Sendable, Equatable {
  /// The decision boundary and the loss chart.
  case boundary
  /// The boundary, with what each first-layer hidden unit computes in place of the loss chart.
  case units
  /// Small multiples: one network per hidden size, all training at once.
  case sweep
}
