/// Keys and mouse events as a recording writes them: `space`, `>`, `left`, `click 40 12`.
extension Key {
  private static let named: [(word: String, key: Key)] = [
    ("space", .char(" ")), ("up", .up), ("down", .down), ("left", .left), ("right", .right),
    ("shift-left", .shiftLeft), ("shift-right", .shiftRight), ("tab", .tab), ("backtab", .backTab),
    ("escape", .escape), ("enter", .enter), ("pageup", .pageUp), ("pagedown", .pageDown),
  ]

  /// The words a recording writes for the event; nil for one it does not keep (a resize).
  var recorded: String? {
    if let name = Self.named.first(where: { $0.key == self }) { return name.word }
    switch self {
    case .char(let c): return String(c)
    case .mouse(let x, let y, let secondary, let dragging):
      return "\(secondary ? "rightclick" : dragging ? "drag" : "click") \(x) \(y)"
    default: return nil
    }
  }

  /// The event a recording's words stand for, or nil.
  init?(recorded words: [Substring]) {
    guard let first = words.first else { return nil }
    if words.count == 1 {
      if let name = Self.named.first(where: { $0.word == first }) {
        self = name.key
      } else if first.count == 1, let c = first.first, !c.isWhitespace {
        self = .char(c)
      } else {
        return nil
      }
      return
    }
    guard words.count == 3, ["click", "drag", "rightclick"].contains(first), let x = Int(words[1]),
      let y = Int(words[2]), (0..<10_000).contains(x), (0..<10_000).contains(y)
    else { return nil }
    self = .mouse(x: x, y: y, secondary: first == "rightclick", dragging: first == "drag")
  }
}
