/// Which iterations the loss chart shows (`w` cycles them).
public enum LossWindow: Sendable, Equatable, CaseIterable {
  /// The current run, on a logarithmic iteration axis: the first thousand iterations, where the
  /// network learns, take most of the width even after 20,000 (on a straight axis they were the
  /// first column or two at 80x24). The default.
  case run
  /// The current run's last `recentIterations`, on a straight axis: the post's two-state
  /// oscillation shows as a band.
  case recent
  /// The whole session, every run, on a straight axis.
  case session

  public static let recentIterations = 500

  /// Its name in the chart's title.
  public var label: String {
    switch self {
    case .run: return "run"
    case .recent: return "recent"
    case .session: return "session"
    }
  }

  public var next: LossWindow {
    let all = Self.allCases
    return all[(all.firstIndex(of: self)! + 1) % all.count]
  }
}
