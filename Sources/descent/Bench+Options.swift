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

  /// Rounds of the options' comparison: more and shorter than the peers', since a ratio of two
  /// bests taken seconds apart moves with a virtual machine's pace (three rounds read 1.37x for
  /// Adam at 200 x 50, whose step counts 1.02x the instructions).
  static let optionRounds = 8

  /// One line per shape: each option's time a step over plain descent's, best of alternating rounds.
  func optionLines() throws -> [String] {
    var lines: [String] = []
    for (label, samples, hidden) in [("post, 200 x 3", 200, 3), ("200 x 50", 200, 50)] {
      var plain = RunSetup.post
      plain.samples = samples
      plain.hidden = hidden
      // The per-layer widths are two layers: against two plain layers of H.
      var twoLayers = plain
      twoLayers.layers = 2
      let setups =
        [plain, twoLayers]
        + Self.options.map { option in
          var setup = plain
          option.change(&setup)
          return setup
        }
      var best = [Double](repeating: 0, count: setups.count)
      let share = seconds / Double(Self.optionRounds) / 2
      for _ in 0..<Self.optionRounds {
        for (i, setup) in setups.enumerated() { best[i] = max(best[i], try swiftRate(setup, seconds: share)) }
      }
      var parts: [String] = []
      var over: [String] = []
      for (i, option) in Self.options.enumerated() {
        let base = option.name.hasPrefix("widths") ? best[1] : best[0]
        let ratio = base / best[i + 2]
        parts.append(option.name + String(format: " %.2fx", ratio))
        if ratio > Self.optionBound { over.append(option.name) }
      }
      let verdict =
        over.isEmpty
        ? "all within \(Self.optionBound)x" : "over \(Self.optionBound)x: " + over.joined(separator: ", ")
      lines.append(
        "options at \(label) (time a step over plain's \(String(format: "%.0f", best[0])) it/s): "
          + parts.joined(separator: ", ") + "; " + verdict)
    }
    return lines
  }
}
