import DescentCore

/// What one panel of the sweep or the optimizer race keeps its own whatever settings the knobs
/// send it: a hidden size, or an optimizer.
public enum PanelRule: Sendable, Equatable {
  case hidden(Int)
  case optimizer(OptimizerKind)

  /// The settings with the panel's own choice put back.
  func applied(to settings: Settings) -> Settings {
    var settings = settings
    switch self {
    case .hidden(let size): settings.setup.hidden = size
    case .optimizer(let kind): settings.setup.training.optimizer.kind = kind
    }
    return settings
  }

  /// The race's panels: each optimizer, from the same initial weights (the settings' seed).
  public static let race = OptimizerKind.allCases.map(PanelRule.optimizer)

  /// The panel's title.
  var title: String {
    switch self {
    case .hidden(let size): return "\(size) unit\(size == 1 ? "" : "s")"
    case .optimizer(let kind): return kind.rawValue
    }
  }
}
