import DescentCore
import Foundation

/// Arrays as the teaching views print them: a row as `[0.1234, -0.5678]`, a matrix in full when
/// small (the post's W1 is 2×3) and summarized when large.
enum ArrayText {
  /// The largest matrix printed in full.
  static let fullCells = 12

  /// `[ 0.1234, -0.5678]`, cut to `width` characters with `…` and the count when too long.
  static func row(_ values: [Double], digits: Int = 4, width: Int = .max) -> String {
    // Fewer decimals (down to three) before leaving numbers out.
    for d in stride(from: digits, through: min(digits, 3), by: -1) {
      let all = "[" + values.map { number($0, d) }.joined(separator: ", ") + "]"
      if all.count <= width { return all }
    }
    var shown: [String] = []
    for v in values {
      let next = "[" + (shown + [number(v, digits)]).joined(separator: ", ") + ", … (\(values.count))]"
      if next.count > width { break }
      shown.append(number(v, digits))
    }
    return "[" + shown.joined(separator: ", ") + ", … (\(values.count))]"
  }

  /// One row of a matrix.
  static func row(_ m: Matrix, _ r: Int, digits: Int = 4, width: Int = .max) -> String {
    row(Array(m.storage[r * m.cols..<(r + 1) * m.cols]), digits: digits, width: width)
  }

  /// The matrix's lines: every row when it has at most `fullCells` numbers, else its shape and
  /// range.
  static func matrix(_ m: Matrix, digits: Int = 4, width: Int = .max, glyphs: MathGlyphs = .unicode) -> [String] {
    if m.storage.count <= fullCells { return (0..<m.rows).map { row(m, $0, digits: digits, width: width) } }
    return [summary(m.storage, shape: glyphs.shape(m.rows, m.cols))]
  }

  /// `3×50: min -0.41, max 0.52, mean |x| 0.13`.
  static func summary(_ values: [Double], shape: String) -> String {
    let lo = values.min() ?? 0
    let hi = values.max() ?? 0
    let meanAbs = values.reduce(0) { $0 + abs($1) } / Double(max(1, values.count))
    return "\(shape): min \(number(lo, 3)), max \(number(hi, 3)), mean |x| \(number(meanAbs, 3))"
  }

  /// A number with a sign column, fixed digits; scientific when tiny or huge.
  static func number(_ x: Double, _ digits: Int = 4) -> String {
    if x != 0 && (abs(x) < 1e-4 || abs(x) >= 1e5) { return String(format: "% .\(max(1, digits - 2))e", x) }
    return String(format: "% .\(digits)f", x)
  }
}
