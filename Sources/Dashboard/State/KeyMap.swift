/// The dashboard's keys.
public enum KeyMap {
  /// Steps a coarse adjustment moves (a decade on the 1-2-5 scales).
  public static let coarse = 3

  /// What a key does; in a lesson, ← and → (and page up and down, what a presentation clicker
  /// sends) move between stages (< and > still adjust); the code and math views have keys of their own.
  public static func action(for key: Key, inLesson: Bool = false, view: ViewMode = .boundary) -> Action? {
    if view == .code, let action = codeViewAction(for: key) { return action }
    if view == .math, let action = mathViewAction(for: key) { return action }
    switch key {
    case .char(" "): return .togglePause
    case .char("s"), .char("."): return .step
    case .char("r"): return .reset
    case .char("n"): return .reinitialize
    case .char("d"): return .newData
    case .up, .char("k"), .backTab: return .focusPrevious
    case .down, .char("j"), .tab: return .focusNext
    case .char("]"): return .nextPage
    case .char("["): return .previousPage
    case .left: return inLesson ? .stage(-1) : .adjust(-1)
    case .right: return inLesson ? .stage(1) : .adjust(1)
    case .pageUp: return inLesson ? .stage(-1) : nil
    case .pageDown: return inLesson ? .stage(1) : nil
    case .char("<"), .char(","): return .adjust(-1)
    case .char(">"): return .adjust(1)
    case .shiftLeft, .char("H"): return .adjust(-coarse)
    case .shiftRight, .char("L"): return .adjust(coarse)
    case .char("+"), .char("="): return .faster
    case .char("-"), .char("_"): return .slower
    case .char("l"): return .toggleBaseline
    case .char("g"): return .toggleSweep
    case .char("O"): return .toggleRace
    case .char("a"): return .toggleClasses
    case .char("u"): return .toggleUnits
    case .char("c"): return .toggleCode
    case .char("m"): return .toggleMath
    case .char("i"): return .inspect(1)
    case .char("I"): return .inspect(-1)
    case .char("v"): return .checkGradient
    case .char("x"): return .card(1)
    case .char("X"): return .card(-1)
    case .char("W"): return .toggleNetwork
    case .char("z"): return .toggleDiscretize
    case .char("h"): return .hiddenSpace
    case .char("e"): return .export
    case .char("R"): return .record
    case .char(let c) where c.isASCII && c.isNumber: return .pickClass(Int(String(c))!)
    case .char("?"): return .toggleHelp
    case .escape: return .closeHelp
    case .char("y"): return .toggleScale
    case .char("w"): return .cycleLossWindow
    case .char("p"): return .togglePresent
    case .char("t"): return .cycleTheme
    case .char("q"), .char("Q"): return .quit
    case .mouse(let x, let y, false, _): return .click(x: x, y: y)
    case .mouse(let x, let y, true, false): return .secondaryClick(x: x, y: y)
    case .resize: return .resize
    default: return nil
    }
  }

  /// Every key and what it does, for the help screen (short, so two columns fit 80 columns).
  public static let help: [(keys: String, does: String)] = [
    ("space", "pause / resume"),
    ("s  .", "one step"),
    ("r", "reset (same seed)"),
    ("n", "new random weights"),
    ("d", "new data"),
    ("↑ ↓  j k tab", "choose a knob"),
    ("← →  < >", "adjust the knob"),
    ("H L  ⇧← ⇧→", "big steps"),
    ("[  ]", "knob pages"),
    ("+  -", "faster / slower"),
    ("l", "logistic regression"),
    ("g", "hidden-size sweep"),
    ("O", "optimizer race"),
    ("u", "hidden-unit maps"),
    ("W", "the network, weights"),
    ("z", "discretize regions"),
    ("a", "accuracy by class"),
    ("h", "hidden space, pairs"),
    ("click plot", "add a point"),
    ("0-9", "class to add"),
    ("right click", "remove nearest"),
    ("click slider", "set the knob"),
    ("c", "the post's code, live"),
    ("m", "the equations"),
    ("i  I", "inspect a point"),
    ("v", "gradient check"),
    ("x  X", "readers' questions"),
    ("e  R", "export / record"),
    ("y", "loss axis log / lin"),
    ("w", "loss: run/recent/all"),
    ("t", "colour theme"),
    ("p", "presentation mode"),
    ("?  esc", "this help; esc closes"),
    ("q  ctrl-c", "quit"),
  ]

  /// In a lesson, ← and → (page up and down) move between stages.
  public static let lessonHelp: (keys: String, does: String) = ("← →  pgup pgdn", "lesson: stages")

  /// In the code view, the keys that step through the loop's lines.
  static func codeViewAction(for key: Key) -> Action? {
    switch key {
    case .char("s"), .char("."), .down, .char("j"), .enter: return .codeLine(1)
    case .up, .char("k"), .char(","): return .codeLine(-1)
    case .tab: return .inspect(1)
    case .backTab: return .inspect(-1)
    default: return nil
    }
  }

  /// In the math view, the arrows scroll.
  static func mathViewAction(for key: Key) -> Action? {
    switch key {
    case .down, .char("j"): return .scroll(1)
    case .up, .char("k"): return .scroll(-1)
    default: return nil
    }
  }
}
