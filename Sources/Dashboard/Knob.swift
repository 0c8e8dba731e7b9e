import DescentCore
import Foundation

/// A knob on the dashboard: a value moved along a list of the steps people expect.
public enum Knob: Int, CaseIterable, Sendable {
  // Page 1: the post's knobs and the pace.
  case hidden, epsilon, lambda, redraw, speed
  // Page 2: the post's exercises.
  case batch, anneal, activation, layers
  // Page 3: the data.
  case dataset, samples, noise, classes

  public var label: String {
    switch self {
    case .hidden: return "hidden"
    case .epsilon: return "epsilon"
    case .lambda: return "lambda"
    case .redraw: return "redraw"
    case .speed: return "speed"
    case .batch: return "batch"
    case .anneal: return "anneal"
    case .activation: return "activation"
    case .layers: return "layers"
    case .dataset: return "dataset"
    case .samples: return "samples"
    case .noise: return "noise"
    case .classes: return "classes"
    }
  }

  /// The knob pages, in order, with their titles.
  public static let pages: [(title: String, knobs: [Knob])] = [
    ("knobs", [.hidden, .epsilon, .lambda, .redraw, .speed]),
    ("exercises", [.batch, .anneal, .activation, .layers]),
    ("data", [.dataset, .samples, .noise, .classes]),
  ]

  /// The page this knob is on.
  public var page: Int { Knob.pages.firstIndex { $0.knobs.contains(self) }! }

  /// Changing it starts the run again (the network or the data change shape); the others apply
  /// from the next step.
  public var restarts: Bool {
    switch self {
    case .hidden, .activation, .layers, .dataset, .samples, .noise, .classes: return true
    case .epsilon, .lambda, .redraw, .speed, .batch, .anneal: return false
    }
  }

  /// The values the knob steps through, smallest first.
  public var steps: [Double] {
    switch self {
    case .hidden: return Knob.hiddenSteps
    case .epsilon: return Knob.decades(from: -5, to: 1)
    case .lambda: return [0] + Knob.decades(from: -5, to: 1)
    case .redraw: return Knob.decades(from: 0, to: 4).filter { $0 >= 1 }
    case .speed: return Knob.decades(from: 0, to: 5) + [Double.infinity]
    // 0 is the whole data set: the post's batch gradient descent.
    case .batch: return [0] + Knob.decades(from: 0, to: 3)
    case .anneal: return [0] + Knob.decades(from: -5, to: 0)
    case .activation: return Activation.allCases.indices.map(Double.init)
    case .layers: return (1...6).map(Double.init)
    // The built-in data sets, then the CSV given with --data.
    case .dataset: return (0...DatasetKind.classification.count).map(Double.init)
    case .samples: return [20, 50, 100, 200, 500, 1000, 2000, 5000]
    case .noise: return [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3]
    case .classes: return (2...10).map(Double.init)
    }
  }

  static let hiddenSteps: [Double] = [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 25, 30, 40, 50, 64, 75, 100, 128, 150, 200, 256,
  ]

  /// 1, 2, 5 in every decade from 10^lo to 10^hi (the last one alone).
  static func decades(from lo: Int, to hi: Int) -> [Double] {
    var values: [Double] = []
    for e in lo..<hi {
      for m in [1.0, 2.0, 5.0] { values.append((m * pow(10, Double(e))).roundedToSignificant()) }
    }
    values.append(pow(10, Double(hi)))
    return values
  }

  /// Where `value` sits along the slider, 0...1: evenly by step, and in log space between two
  /// steps (so a value from the command line such as 0.03 lands between 0.02 and 0.05).
  public func position(_ value: Double) -> Double {
    let steps = self.steps
    guard let last = steps.last, steps.count > 1 else { return 0 }
    if value >= last { return 1 }
    guard let upper = steps.firstIndex(where: { $0 >= value }), upper > 0 else { return 0 }
    let (a, b) = (steps[upper - 1], steps[upper])
    let t: Double
    if a > 0 && b.isFinite { t = log(value / a) / log(b / a) } else { t = value == b ? 1 : 0 }
    return (Double(upper - 1) + t) / Double(steps.count - 1)
  }

  /// The next step above (`by` > 0) or below the current value, `by` steps away.
  public func stepped(_ value: Double, by: Int) -> Double {
    let steps = self.steps
    if by > 0 {
      let above = steps.firstIndex { $0 > value * (1 + 1e-9) } ?? steps.count - 1
      return steps[min(steps.count - 1, above + by - 1)]
    } else {
      let below = steps.lastIndex { $0 < value * (1 - 1e-9) || (value > 0 && $0 == 0) } ?? 0
      return steps[max(0, below + by + 1)]
    }
  }

  /// The step nearest a position 0...1 along the slider (for mouse clicks).
  public func value(at fraction: Double) -> Double {
    let steps = self.steps
    let i = Int((min(1, max(0, fraction)) * Double(steps.count - 1)).rounded())
    return steps[i]
  }

  /// The value as the knob shows it.
  public func format(_ value: Double) -> String {
    switch self {
    case .hidden, .layers, .classes: return String(Int(value))
    case .epsilon, .lambda: return formatRate(value)
    case .anneal: return value == 0 ? "off" : formatRate(value)
    case .redraw: return "\(Int(value)) it"
    case .speed: return value.isInfinite ? "max" : "\(compact(value))/s"
    case .batch: return value == 0 ? "all" : String(Int(value))
    case .activation: return Activation.allCases[min(Activation.allCases.count - 1, max(0, Int(value)))].rawValue
    case .dataset:
      let kinds = DatasetKind.classification
      return Int(value) < kinds.count ? kinds[max(0, Int(value))].rawValue : "file"
    case .samples: return compact(value)
    case .noise: return String(format: "%.2f", value)
    }
  }
}

/// Rates as people write them: 0.01, 0.0005, 1e-05 below that.
func formatRate(_ value: Double) -> String {
  if value == 0 { return "0" }
  if value >= 1e-4 && value < 1000 {
    var text = String(format: "%.6f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }
  return String(format: "%.0e", value)
}

/// 1.2k, 45k, 1.3M.
func compact(_ value: Double) -> String {
  if value >= 1e6 { return String(format: value >= 1e7 ? "%.0fM" : "%.1fM", value / 1e6) }
  if value >= 1e3 { return String(format: value >= 1e4 ? "%.0fk" : "%.1fk", value / 1e3) }
  return String(format: "%.0f", value)
}

extension Double {
  fileprivate func roundedToSignificant() -> Double { Double(String(format: "%.1g", self))! }
}
