/// The dashboard's keys.
public enum KeyMap {
  /// Steps a coarse adjustment moves (a decade on the 1-2-5 scales).
  public static let coarse = 3

  /// What a key does; in the guided tour, ← and → move between stages (< and > still adjust).
  public static func action(for key: Key, touring: Bool = false) -> Action? {
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
    case .left: return touring ? .tour(-1) : .adjust(-1)
    case .right: return touring ? .tour(1) : .adjust(1)
    case .char("<"), .char(","): return .adjust(-1)
    case .char(">"): return .adjust(1)
    case .shiftLeft, .char("H"): return .adjust(-coarse)
    case .shiftRight, .char("L"): return .adjust(coarse)
    case .char("+"), .char("="): return .faster
    case .char("-"), .char("_"): return .slower
    case .char("l"): return .toggleBaseline
    case .char("g"): return .toggleSweep
    case .char("u"): return .toggleUnits
    case .char("W"): return .toggleNetwork
    case .char("h"): return .hiddenSpace
    case .char("e"): return .export
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
    ("u", "hidden-unit maps"),
    ("W", "the network, weights"),
    ("h", "hidden space, pairs"),
    ("click plot", "add a point"),
    ("0-9", "class to add"),
    ("right click", "remove nearest"),
    ("click slider", "set the knob"),
    ("e", "export SVG, model"),
    ("y", "loss axis log / lin"),
    ("w", "loss: run/recent/all"),
    ("t", "colour theme"),
    ("p", "presentation mode"),
    ("?  esc", "this help"),
    ("q  ctrl-c", "quit"),
  ]

  /// In the guided tour, ← and → move between stages.
  public static let tourHelp: (keys: String, does: String) = ("← →", "tour: stages")
}
