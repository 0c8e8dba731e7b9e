/// A pixel canvas of braille characters: each cell holds 2 x 4 dots, so a chart gets twice the
/// columns and four times the rows of the cells it covers. Each cell has one colour: the last
/// one set on any of its dots.
struct BrailleCanvas {
  let columns: Int
  let rows: Int
  private var dots: [UInt8]
  private var colors: [RGB?]

  init(columns: Int, rows: Int) {
    self.columns = max(0, columns)
    self.rows = max(0, rows)
    dots = [UInt8](repeating: 0, count: self.columns * self.rows)
    colors = [RGB?](repeating: nil, count: self.columns * self.rows)
  }

  var pixelWidth: Int { columns * 2 }
  var pixelHeight: Int { rows * 4 }

  /// The bit of dot (x, y) within its cell, in Unicode's braille numbering.
  private static let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

  /// Sets the dot at pixel (x, y), y counted from the top; off-canvas dots are ignored.
  mutating func set(_ x: Int, _ y: Int, _ color: RGB) {
    guard x >= 0, y >= 0, x < pixelWidth, y < pixelHeight else { return }
    let i = (y / 4) * columns + x / 2
    dots[i] |= Self.bits[x % 2][y % 4]
    colors[i] = color
  }

  /// A vertical run of dots from y0 to y1 (either order).
  mutating func vertical(_ x: Int, _ y0: Int, _ y1: Int, _ color: RGB) {
    for y in min(y0, y1)...max(y0, y1) { set(x, y, color) }
  }

  /// Copies the dotted cells into the buffer at `origin`, over whatever is there.
  func draw(into buffer: inout CellBuffer, x originX: Int, y originY: Int, background: RGB?) {
    draw(into: &buffer, x: originX, y: originY) { _, _ in background }
  }

  /// Copies the dotted cells into the buffer at `origin`, each cell on the background `background`
  /// gives for its column and row.
  func draw(into buffer: inout CellBuffer, x originX: Int, y originY: Int, background: (Int, Int) -> RGB?) {
    for row in 0..<rows {
      for col in 0..<columns where dots[row * columns + col] != 0 {
        let scalar = Unicode.Scalar(0x2800 + UInt32(dots[row * columns + col]))!
        buffer.set(
          originX + col, originY + row, scalar, Style(fg: colors[row * columns + col], bg: background(col, row)))
      }
    }
  }
}
