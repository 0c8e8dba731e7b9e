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

  func distance(to other: RGB) -> Double {
    let (p, q) = (lab, other.lab)
    return (p.l - q.l) * (p.l - q.l) + (p.a - q.a) * (p.a - q.a) + (p.b - q.b) * (p.b - q.b)
  }
}

extension String {
  func leftPadded(_ width: Int, with pad: Character = " ") -> String {
    String(repeating: pad, count: max(0, width - count)) + self
  }
}
