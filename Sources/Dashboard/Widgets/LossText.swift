import Foundation

/// A loss as the screen shows it: fixed digits, or "not finite" for a loss that overflowed
/// (`-nan` is not a number a reader can use).
enum LossText {
  static func format(_ loss: Double?, digits: Int) -> String {
    guard let loss else { return "–" }
    return loss.isFinite ? String(format: "%.\(digits)f", loss) : "not finite"
  }
}
