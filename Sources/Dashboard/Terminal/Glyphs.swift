/// The characters of a terminal without a UTF-8 locale (`LANG=C`, the default of many
/// containers): there, every cell the dashboard draws goes through `ascii(_:)`. Borders use the
/// terminal's own line-drawing characters (ncurses draws them with the alternate character set
/// where terminfo has it, else `+ - |`), classes keep distinct glyphs (`o x + * # @`), the loss
/// line and sliders become ASCII marks, and a half block becomes a space on the lower half's colour.
public enum Glyphs {
  /// A line-drawing character, drawn from the terminal's alternate character set.
  public enum Line: Sendable, Equatable {
    case horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight, rightTee
  }

  /// What a cell shows in ASCII.
  public enum ASCII: Sendable, Equatable {
    case char(UInt8)
    case line(Line)
  }

  /// The ASCII stand-in for a character: one printable ASCII character, or a line.
  public static func ascii(_ scalar: Unicode.Scalar) -> ASCII {
    if scalar.value >= 0x20 && scalar.value < 0x7F { return .char(UInt8(scalar.value)) }
    if scalar.value >= 0x2800 && scalar.value <= 0x28FF { return .char(braille(UInt8(scalar.value - 0x2800))) }
    switch scalar {
    case "─": return .line(.horizontal)
    case "│": return .line(.vertical)
    case "╭": return .line(.topLeft)
    case "╮": return .line(.topRight)
    case "╰": return .line(.bottomLeft)
    case "╯": return .line(.bottomRight)
    case "┤": return .line(.rightTee)
    default: return .char(UInt8(ascii(symbol: scalar).value))
    }
  }

  /// Points, marks and letters, one printable ASCII character each.
  static func ascii(symbol scalar: Unicode.Scalar) -> Unicode.Scalar {
    switch scalar {
    // Class glyphs: distinct shapes, as in the themes' order.
    case "●": return "o"
    case "▲": return "x"
    case "■": return "+"
    case "◆": return "*"
    case "✚": return "#"
    case "★": return "@"
    // Test points, hollow: the capital or a neighbour of the class's glyph.
    case "○": return "O"
    case "△": return "X"
    case "□": return "="
    case "◇": return "%"
    case "✛": return "$"
    case "☆": return "&"
    case "∘", "°": return "'"
    // Regions without colour: lighter to denser.
    case "▀": return " "
    case "░": return "."
    case "▒": return ":"
    case "▓": return "#"
    // Sliders, legend, state and focus marks.
    case "━": return "="
    case "▸", "▶", "→": return ">"
    case "←": return "<"
    case "↑", "⇧": return "^"
    case "↓": return "v"
    case "❚": return "|"
    case "✖": return "X"
    // Text.
    case "·": return "."
    case "…": return "~"
    case "–", "—": return "-"
    case "ε": return "e"
    case "λ": return "l"
    default: return "?"
    }
  }

  /// A braille cell (a piece of the loss line) as one mark by where its dots are: `|` when they
  /// span three or four of the cell's four rows, else `'` high, `-` in the middle, `.` low.
  static func braille(_ dots: UInt8) -> UInt8 {
    // Unicode's dot bits by row: dots 1 4 on row 0, 2 5 on row 1, 3 6 on row 2, 7 8 on row 3.
    let rows = [dots & 0x09 != 0, dots & 0x12 != 0, dots & 0x24 != 0, dots & 0xC0 != 0]
    let used = rows.indices.filter { rows[$0] }
    guard let top = used.first, let bottom = used.last else { return UInt8(ascii: " ") }
    if bottom - top >= 2 { return UInt8(ascii: "|") }
    switch Double(top + bottom) / 2 {
    case ..<0.75: return UInt8(ascii: "'")
    case ..<2.25: return UInt8(ascii: "-")
    default: return UInt8(ascii: ".")
    }
  }
}
