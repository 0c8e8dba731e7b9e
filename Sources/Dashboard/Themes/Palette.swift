import Foundation

/// The terminal's palette: which colour index best shows an `RGB`.
public enum Palette {
  /// The 16 ANSI colours as xterm draws them.
  static let ansi: [RGB] = [
    RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0), RGB(0, 0, 238), RGB(205, 0, 205),
    RGB(0, 205, 205), RGB(229, 229, 229), RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0),
    RGB(255, 255, 0), RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255),
  ]

  /// The colour of xterm-256 index `i`.
  public static func xterm(_ i: Int) -> RGB {
    if i < 16 { return ansi[i] }
    if i < 232 {
      let levels: [UInt8] = [0, 95, 135, 175, 215, 255]
      let n = i - 16
      return RGB(levels[n / 36], levels[(n / 6) % 6], levels[n % 6])
    }
    let v = UInt8(8 + 10 * (i - 232))
    return RGB(v, v, v)
  }

  /// The index among the first `count` colours (8, 16 or 256) nearest to `color`.
  public static func nearest(_ color: RGB, among count: Int) -> Int {
    let candidates = count >= 256 ? Array(16..<256) : Array(0..<min(count, 16))
    return candidates.min { xterm($0).distance(to: color) < xterm($1).distance(to: color) } ?? 0
  }
}
