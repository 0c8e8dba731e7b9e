/// A grid of cells that widgets draw into; the terminal backend copies it to the screen, and tests
/// read it as text. A pure value: no terminal needed.
public struct CellBuffer: Equatable, Sendable {
  public let width: Int
  public let height: Int
  public private(set) var cells: [Cell]

  public init(width: Int, height: Int, fill: Cell = Cell()) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = [Cell](repeating: fill, count: self.width * self.height)
  }

  public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

  public subscript(x: Int, y: Int) -> Cell {
    get { cells[y * width + x] }
    set {
      guard x >= 0, y >= 0, x < width, y < height else { return }
      cells[y * width + x] = newValue
    }
  }

  /// Sets one cell if it is on the buffer; drawing off the edge is clipped, never a crash.
  public mutating func set(_ x: Int, _ y: Int, _ char: Unicode.Scalar, _ style: Style) {
    guard x >= 0, y >= 0, x < width, y < height else { return }
    cells[y * width + x] = Cell(char, style)
  }

  /// Writes `text` from (x, y) rightwards, clipped to `limit` columns and the buffer's width.
  /// Returns the column after the last character written.
  @discardableResult
  public mutating func put(_ text: String, x: Int, y: Int, _ style: Style, limit: Int = .max) -> Int {
    var column = x
    for scalar in text.unicodeScalars {
      guard column - x < limit, column < width else { break }
      set(column, y, scalar, style)
      column += 1
    }
    return column
  }

  /// Fills a rectangle with one character and style.
  public mutating func fill(_ rect: Rect, _ char: Unicode.Scalar = " ", _ style: Style) {
    for y in rect.y..<rect.maxY {
      for x in rect.x..<rect.maxX { set(x, y, char, style) }
    }
  }

  /// Draws a box border with an optional title in the top edge; a title too long for it ends
  /// in an ellipsis.
  public mutating func box(_ rect: Rect, title: String = "", border: Style, titleStyle: Style) {
    guard rect.width >= 2, rect.height >= 2 else { return }
    for x in rect.x + 1..<rect.maxX - 1 {
      set(x, rect.y, "─", border)
      set(x, rect.maxY - 1, "─", border)
    }
    for y in rect.y + 1..<rect.maxY - 1 {
      set(rect.x, y, "│", border)
      set(rect.maxX - 1, y, "│", border)
    }
    set(rect.x, rect.y, "╭", border)
    set(rect.maxX - 1, rect.y, "╮", border)
    set(rect.x, rect.maxY - 1, "╰", border)
    set(rect.maxX - 1, rect.maxY - 1, "╯", border)
    if !title.isEmpty && rect.width > 4 {
      let room = rect.width - 4  // the corners, and a space on each side
      let scalars = title.unicodeScalars
      let shown =
        scalars.count <= room ? title : String(String.UnicodeScalarView(scalars.prefix(room - 1))) + "…"
      put(" \(shown) ", x: rect.x + 1, y: rect.y, titleStyle, limit: rect.width - 2)
    }
  }

  /// Drops every colour, keeping characters and attributes (for terminals without colour).
  public mutating func removeColors() {
    for i in cells.indices {
      cells[i].style.fg = nil
      cells[i].style.bg = nil
    }
  }

  /// The characters row by row, trailing spaces trimmed: what a test compares.
  public var text: String {
    (0..<height).map { y in
      var line = String(String.UnicodeScalarView((0..<width).map { cells[y * width + $0].char }))
      while line.hasSuffix(" ") { line.removeLast() }
      return line
    }.joined(separator: "\n")
  }

  /// One row as a string.
  public func row(_ y: Int) -> String {
    String(String.UnicodeScalarView((0..<width).map { cells[y * width + $0].char }))
  }
}
