/// What a key means.
public enum Action: Equatable, Sendable {
  case togglePause, step, reset, reinitialize, newData
  case focusNext, focusPrevious, nextPage, previousPage
  /// Move the focused knob by this many steps.
  case adjust(Int)
  case faster, slower
  case toggleHelp, closeHelp, toggleScale, cycleLossWindow, togglePresent, cycleTheme
  case toggleBaseline, toggleSweep, toggleUnits, toggleNetwork
  /// The hidden-space view; in it, the next pair of hidden units (and then back).
  case hiddenSpace
  /// The class a click in the plot adds.
  case pickClass(Int)
  case export
  /// The guided tour's next or previous stage.
  case tour(Int)
  case quit
  case click(x: Int, y: Int)
  /// A right click (or ctrl/shift click): in the plot, removes the nearest point.
  case secondaryClick(x: Int, y: Int)
  case resize
}
