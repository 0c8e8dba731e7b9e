import DescentCore
import Foundation

/// The options of the playground (issue 17) against plain descent on the same shape: each should
/// take at most 1.3 times the time of a plain step.
extension Bench {
  /// The most time an option's step may take, as a multiple of the plain step's.
  static let optionBound = 1.3

  /// Each option and the change to a run setup that turns it on.
  static let options: [(name: String, change: @Sendable (inout RunSetup) -> Void)] = [
    ("momentum", { $0.training.optimizer.kind = .momentum }),
    ("nesterov", { $0.training.optimizer.kind = .nesterov }),
    ("adam", { $0.training.optimizer.kind = .adam }),
    ("features x1sq,x2sq", { $0.features = InputFeatures(list: [.x1, .x2, .x1sq, .x2sq]) }),
    ("L1", { $0.training.regularization = .l1 }),
    ("dropout 0.2", { $0.training.dropout = 0.2 }),
    (
      "regression (sine)",
      {
        $0.task = .regression
        $0.source = .generated(.sine)
        $0.training.epsilon = 0.0005  // 0.01 diverges on the sine
      }
    ),
    ("widths H,H/2 vs 2 x H", { $0.widths = [$0.hidden, max(1, $0.hidden / 2)] }),
  ]

  /// Rounds of the options' comparison, each option timed beside its own run of plain descent.
  /// A ratio of two bests taken seconds apart moves with a virtual machine's pace (plain's best
  /// may come from a quiet moment no option had), so each round times plain and the option back
  /// to back, alternating which goes first, and the line gives the median of those ratios.
  static let optionRounds = 8

  /// One line per shape: each option's time a step over plain descent's, the median of rounds
  /// that time the two back to back.
  func optionLines() throws -> [String] {
    var lines: [String] = []
    // The post's shape; the widest the one-pass kernel takes; one whose layer two threads share
    // by units with the second's share under a vector (10 units with dropout); and 200 x 50.
    let shapes = [("post, 200 x 3", 200, 3), ("200 x 16", 200, 16), ("200 x 30", 200, 30), ("200 x 50", 200, 50)]
    for (label, samples, hidden) in shapes {
      var plain = RunSetup.post
      plain.samples = samples
      plain.hidden = hidden
      // The per-layer widths are two layers: against two plain layers of H.
      var twoLayers = plain
      twoLayers.layers = 2
      // Sixteen timings a round (each option and its plain) of a third of the round's share each:
      // a shape's options take about 5.3 times `seconds`.
      let share = seconds / Double(Self.optionRounds) / 3
      let pairs = Self.options.map { option in
        var setup = plain
        option.change(&setup)
        let againstTwoLayers = option.name.hasPrefix("widths")
        return (setup: setup, base: againstTwoLayers ? twoLayers : plain, againstTwoLayers: againstTwoLayers)
      }
      var ratios = [[Double]](repeating: [], count: Self.options.count)
      var plainRates: [Double] = []
      for round in 0..<Self.optionRounds {
        for (i, (setup, base, againstTwoLayers)) in pairs.enumerated() {
          let baseRate: Double
          let rate: Double
          if round.isMultiple(of: 2) {
            baseRate = try swiftRate(base, seconds: share)
            rate = try swiftRate(setup, seconds: share)
          } else {
            rate = try swiftRate(setup, seconds: share)
            baseRate = try swiftRate(base, seconds: share)
          }
          ratios[i].append(baseRate / rate)
          if !againstTwoLayers { plainRates.append(baseRate) }
        }
      }
      var parts: [String] = []
      var over: [String] = []
      for (option, roundRatios) in zip(Self.options, ratios) {
        let ratio = median(roundRatios)
        parts.append(option.name + String(format: " %.2fx", ratio))
        // With three decimals: 1.302 shows as 1.30 above.
        if ratio > Self.optionBound { over.append(option.name + String(format: " (%.3fx)", ratio)) }
      }
      let verdict =
        over.isEmpty
        ? "all within \(Self.optionBound)x" : "over \(Self.optionBound)x: " + over.joined(separator: ", ")
      lines.append(
        "options at \(label) (time a step over plain's \(String(format: "%.0f", median(plainRates))) it/s, "
          + "median of \(Self.optionRounds) rounds beside it): " + parts.joined(separator: ", ") + "; " + verdict)
    }
    return lines
  }

  /// The middle value (the mean of the middle two of an even count).
  private func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let half = sorted.count / 2
    return sorted.count.isMultiple(of: 2) ? (sorted[half - 1] + sorted[half]) / 2 : sorted[half]
  }
}
