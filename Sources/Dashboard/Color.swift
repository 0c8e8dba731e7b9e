import Foundation

/// A colour as red, green and blue, written `#rrggbb` in theme files.
public struct RGB: Hashable, Sendable, CustomStringConvertible {
  public var r: UInt8
  public var g: UInt8
  public var b: UInt8

  public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
    self.r = r
    self.g = g
    self.b = b
  }

  /// Parses `#rrggbb`; nil for anything else.
  public init?(hex: String) {
    guard hex.count == 7, hex.first == "#", let value = UInt32(hex.dropFirst(), radix: 16) else { return nil }
    self.init(UInt8(value >> 16), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF))
  }

  public var description: String {
    "#" + [r, g, b].map { String($0, radix: 16).leftPadded(2, with: "0") }.joined()
  }

  /// The straight-line mix `(1 - t) · self + t · other`.
  public func mixed(with other: RGB, _ t: Double) -> RGB {
    func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) * (1 - t) + Double(b) * t).rounded()) }
    return RGB(mix(r, other.r), mix(g, other.g), mix(b, other.b))
  }

  /// Relative luminance, 0 (black) to 1 (white).
  public var luminance: Double { (0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b)) / 255 }

  /// The colour in CIELAB (D65), where straight-line distance follows what the eye sees: a dark
  /// red stays a dark red instead of becoming the nearest grey.
  var lab: (l: Double, a: Double, b: Double) {
    func linear(_ u: UInt8) -> Double {
      let v = Double(u) / 255
      return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
    }
    let (r, g, b) = (linear(self.r), linear(self.g), linear(self.b))
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    func f(_ t: Double) -> Double { t > 0.008856 ? cbrt(t) : 7.787 * t + 16.0 / 116 }
    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))
  }

  fileprivate func distance(to other: RGB) -> Double {
    let (p, q) = (lab, other.lab)
    return (p.l - q.l) * (p.l - q.l) + (p.a - q.a) * (p.a - q.a) + (p.b - q.b) * (p.b - q.b)
  }
}

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

extension String {
  func leftPadded(_ width: Int, with pad: Character = " ") -> String {
    String(repeating: pad, count: max(0, width - count)) + self
  }
}
