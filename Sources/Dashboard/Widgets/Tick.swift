import Foundation

/// Axis tick labels that never print more than their width, whatever the data: a value too large
/// for its digits is shortened (1.5k, 2M, 1e308), and one that fits no form is shown as `#`s, as
/// a spreadsheet shows a number too wide for its column.
enum Tick {
  /// The most precise of one decimal (below 100), whole numbers, a suffix of thousands, or a power
  /// of ten, that fits in `width` characters; `preferred` is tried first.
  static func label(_ value: Double, width: Int, preferred: String? = nil) -> String {
    guard value.isFinite else { return String(repeating: "#", count: width) }
    var candidates = [String]()
    if let preferred { candidates.append(preferred) }
    if abs(value) < 100 { candidates.append(String(format: "%.1f", value)) }
    candidates.append(String(format: "%.0f", value))
    for (power, suffix) in [(1e3, "k"), (1e6, "M"), (1e9, "G"), (1e12, "T"), (1e15, "P"), (1e18, "E")]
    where abs(value) >= power {
      candidates.append(String(format: "%.1f", value / power) + suffix)
      candidates.append(String(format: "%.0f", value / power) + suffix)
    }
    for format in ["%.1e", "%.0e"] {
      // 1.8e+308 -> 1.8e308, 1e-05 -> 1e-5
      var power = String(format: format, value).replacingOccurrences(of: "e+", with: "e")
      while let zero = power.range(of: "e0") ?? power.range(of: "e-0") {
        power.replaceSubrange(zero, with: power[zero].hasPrefix("e-") ? "e-" : "e")
      }
      candidates.append(power)
    }
    for candidate in candidates {
      let text = candidate == "-0.0" ? "0.0" : candidate == "-0" ? "0" : candidate
      if text.count <= width { return text }
    }
    return String(repeating: "#", count: width)
  }
}
