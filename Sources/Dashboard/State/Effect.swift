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
  /// Start or stop recording.
  case record
  /// Run the gradient check on this network and data, off the UI thread.
  case checkGradient
  case quit
}
