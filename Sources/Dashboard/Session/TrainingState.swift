import DescentCore

/// What the trainer is doing.
public enum TrainingState: Sendable, Equatable {
  case running
  case paused
  /// A parameter or the loss stopped being finite at this iteration.
  case diverged(at: Int)
  /// The requested number of passes is done.
  case done
}
