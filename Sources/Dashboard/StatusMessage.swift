/// A line for the status bar and the kind of news it is, which its colour shows at a glance: a
/// finished export in the theme's `done` colour, a problem in `diverged`, anything else in the
/// plain text colour.
public struct StatusMessage: Equatable, Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    case information
    case done
    case error
  }

  public var text: String
  public var kind: Kind

  public init(_ text: String, _ kind: Kind = .information) {
    self.text = text
    self.kind = kind
  }

  public init(stringLiteral value: String) { self.init(value) }

  public init(stringInterpolation: DefaultStringInterpolation) {
    self.init(String(stringInterpolation: stringInterpolation))
  }

  public var description: String { text }

  /// A message stays this long at least, and after that until the next key: long enough to read
  /// an export's folder name from the back of a classroom.
  public static let minimumNanoseconds: UInt64 = 8_000_000_000

  func contains(_ other: String) -> Bool { text.contains(other) }

  /// The message's style in the status bar.
  func style(_ theme: Theme) -> Style {
    let color: RGB
    switch kind {
    case .information: color = theme.text
    case .done: color = theme.done
    case .error: color = theme.diverged
    }
    return Style(fg: color, bg: theme.uncertain, bold: kind != .information, reverse: theme.monochrome)
  }
}
