/// A key or mouse event as the terminal reports it, independent of curses.
public enum Key: Equatable, Sendable {
  case char(Character)
  case up, down, left, right, shiftLeft, shiftRight, tab, backTab, escape, enter, pageUp, pageDown
  case resize
  /// A mouse button press or drag at a cell; `secondary` for the right button (or a left click
  /// with ctrl or shift held).
  case mouse(x: Int, y: Int, secondary: Bool, dragging: Bool)
}
