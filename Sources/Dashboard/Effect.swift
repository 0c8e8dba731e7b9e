/// What the dashboard's model asks the run loop to carry out after an action.
public enum Effect: Sendable, Equatable {
  /// A command for the main run.
  case main(Command)
  /// A command for every network of the hidden-size sweep.
  case sweep(Command)
  /// Start the sweep's networks (one per size in `DashboardModel.sweepSizes`) on the current
  /// settings and points, or stop them.
  case startSweep
  case stopSweep
  /// Load this theme and show it.
  case loadTheme(String)
  /// Write the export folder of what is on screen.
  case export
  case quit
}

/// A line for the status bar, and what kind of news it is.
public struct Message: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// Something the user asked for was done (an export written).
    case done
    /// Something could not be done.
    case error
    /// A hint, or what a key now does.
    case information
  }

  public var text: String
  public var kind: Kind
  /// When it was shown (`DispatchTime` nanoseconds), for how long it stays.
  public var since: UInt64
}
