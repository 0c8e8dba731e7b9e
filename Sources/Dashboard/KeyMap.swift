/// A key or mouse event as the terminal reports it, independent of curses.
public enum Key: Equatable, Sendable {
  case char(Character)
  case up, down, left, right, shiftLeft, shiftRight, tab, backTab, escape, enter
  case resize
  /// A mouse button press or drag at a cell; `secondary` for the right button.
  case mouse(x: Int, y: Int, secondary: Bool, dragging: Bool)
}

/// What a key means.
public enum Action: Equatable, Sendable {
  case togglePause, step, reset, reinitialize
  case focusNext, focusPrevious
  /// Move the focused knob by this many steps.
  case adjust(Int)
  case faster, slower
  case toggleHelp, closeHelp, toggleScale, togglePresent, cycleTheme
  case quit
  case click(x: Int, y: Int)
  case resize
}

/// The dashboard's keys: arrows and vim keys both.
public enum KeyMap {
  /// Steps a coarse adjustment moves (a decade on the 1-2-5 scales).
  public static let coarse = 3

  public static func action(for key: Key) -> Action? {
    switch key {
    case .char(" "): return .togglePause
    case .char("s"), .char("."): return .step
    case .char("r"): return .reset
    case .char("n"): return .reinitialize
    case .up, .char("k"), .backTab: return .focusPrevious
    case .down, .char("j"), .tab: return .focusNext
    case .left, .char("h"): return .adjust(-1)
    case .right, .char("l"): return .adjust(1)
    case .shiftLeft, .char("H"): return .adjust(-coarse)
    case .shiftRight, .char("L"): return .adjust(coarse)
    case .char("+"), .char("="): return .faster
    case .char("-"), .char("_"): return .slower
    case .char("?"): return .toggleHelp
    case .escape: return .closeHelp
    case .char("y"): return .toggleScale
    case .char("p"): return .togglePresent
    case .char("t"): return .cycleTheme
    case .char("q"), .char("Q"): return .quit
    case .mouse(let x, let y, false, _): return .click(x: x, y: y)
    case .resize: return .resize
    default: return nil
    }
  }

  /// Every key and what it does, for the help screen.
  public static let help: [(keys: String, does: String)] = [
    ("space", "pause / resume"),
    ("s  .", "one step (pauses first)"),
    ("r", "reset: same seed, iteration 0"),
    ("n", "new random initial weights"),
    ("↑ ↓  k j  tab", "choose a knob"),
    ("← →  h l", "adjust the knob"),
    ("H L  shift ← →", "adjust in big steps"),
    ("+  -", "train faster / slower"),
    ("y", "loss axis: log / linear"),
    ("t", "next colour theme"),
    ("p", "presentation mode (projector)"),
    ("mouse", "click or drag a slider"),
    ("?  esc", "this help"),
    ("q  ctrl-c", "quit"),
  ]
}
