/// A mouse report in the key stream, read after its ESC with a time limit on every character.
///
/// ncurses decodes `ESC [ M` (X10) and `ESC [ <` (SGR) itself with a blocking `read()` of the rest
/// (lib_mouse.c), so a report cut short, or Alt-[ then M typed, stopped keys and frames until more
/// bytes came. The terminal turns that decoding off (`keyok(KEY_MOUSE, FALSE)`), and ncurses hands
/// the report on as characters, which this reads.
struct MouseReport {
  /// What came after the ESC: a key (nil for a report the dashboard has no use for, or one that
  /// was cut short), and the characters read that were not part of a report, to be read again.
  struct Outcome: Equatable {
    var key: Key?
    var pushBack: [UInt32] = []
  }

  /// How long to wait for a report's next character: its bytes come together, or within a packet
  /// or two over SSH.
  static let patience: Int32 = 50

  /// Reads what follows an ESC. `next(milliseconds)` is the next character within that time, nil
  /// if none came (or a function key, which is then no part of a report).
  static func afterEscape(_ next: (Int32) -> UInt32?) -> Outcome {
    // A lone ESC: ncurses has waited its escape delay already; what belongs to it has come.
    guard let first = next(0) else { return Outcome(key: .escape) }
    guard first == ascii("[") else { return Outcome(key: .escape, pushBack: [first]) }
    guard let second = next(patience) else { return Outcome(key: .escape, pushBack: [first]) }
    switch second {
    case ascii("<"): return sgr(next)
    case ascii("M"): return x10(next)
    default: return Outcome(key: .escape, pushBack: [first, second])
    }
  }

  /// `ESC [ < b ; x ; y M` (a press or motion) or `… m` (a release), coordinates from 1.
  private static func sgr(_ next: (Int32) -> UInt32?) -> Outcome {
    var fields: [Int] = [0]
    for _ in 0..<24 {
      guard let c = next(patience) else { return Outcome(key: nil) }
      switch c {
      case ascii("0")...ascii("9"):
        guard fields[fields.count - 1] < 100_000 else { return Outcome(key: nil) }
        fields[fields.count - 1] = fields[fields.count - 1] * 10 + Int(c - ascii("0"))
      case ascii(";") where fields.count < 3:
        fields.append(0)
      case ascii("M"), ascii("m"):
        guard fields.count == 3, c == ascii("M") else { return Outcome(key: nil) }
        return Outcome(key: key(button: fields[0], x: fields[1] - 1, y: fields[2] - 1))
      default:
        // Not a report after all: the character is a key of its own.
        return Outcome(key: nil, pushBack: [c])
      }
    }
    return Outcome(key: nil)
  }

  /// `ESC [ M` and three characters, each a value plus 32, coordinates from 1.
  private static func x10(_ next: (Int32) -> UInt32?) -> Outcome {
    var values: [Int] = []
    for _ in 0..<3 {
      guard let c = next(patience), c >= 32 else { return Outcome(key: nil) }
      values.append(Int(c) - 32)
    }
    // The X10 encoding's release is button 3; SGR's is its final `m`.
    guard values[0] & 32 != 0 || values[0] & 3 != 3 else { return Outcome(key: nil) }
    return Outcome(key: key(button: values[0], x: values[1] - 1, y: values[2] - 1))
  }

  /// A press of the left button (secondary with Shift or Ctrl), of the right (secondary), or a
  /// motion with a button held (a drag); the wheel, the middle button and releases are not used.
  static func key(button: Int, x: Int, y: Int) -> Key? {
    guard x >= 0, y >= 0, button & 64 == 0 else { return nil }
    if button & 32 != 0 { return .mouse(x: x, y: y, secondary: false, dragging: true) }
    switch button & 3 {
    case 0: return .mouse(x: x, y: y, secondary: button & (4 | 16) != 0, dragging: false)
    case 2: return .mouse(x: x, y: y, secondary: true, dragging: false)
    default: return nil
    }
  }

  private static func ascii(_ c: Unicode.Scalar) -> UInt32 { c.value }
}
