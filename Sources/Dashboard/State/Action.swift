/// What a key means.
public enum Action: Equatable, Sendable {
  case togglePause, step, reset, reinitialize, newData
  case focusNext, focusPrevious, nextPage, previousPage
  /// Move the focused knob by this many steps.
  case adjust(Int)
  case faster, slower
  case toggleHelp, closeHelp, toggleScale, cycleLossWindow, togglePresent, cycleTheme
  case toggleBaseline, toggleSweep, toggleRace, toggleUnits, toggleNetwork, toggleDiscretize, toggleClasses
  /// The hidden-space view; in it, the next pair of hidden units (and then back).
  case hiddenSpace
  /// The class a click in the plot adds.
  case pickClass(Int)
  case export
  /// Start recording the session's events, or stop and write the file.
  case record
  /// A lesson's next or previous stage.
  case stage(Int)
  case quit
  case click(x: Int, y: Int)
  /// A right click (or ctrl/shift click): in the plot, removes the nearest point.
  case secondaryClick(x: Int, y: Int)
  case resize
  /// The code view and the math view (on and off).
  case toggleCode, toggleMath
  /// The code view's next or previous line; past the last, the step is taken.
  case codeLine(Int)
  /// Inspect the next or previous point (training points, then test points).
  case inspect(Int)
  /// Run the gradient check on the current network.
  case checkGradient
  /// The next or previous reader's question (past the last, none).
  case card(Int)
  /// Scroll the math view.
  case scroll(Int)
}
