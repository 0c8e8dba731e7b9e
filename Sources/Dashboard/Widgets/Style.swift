/// How a cell looks: colours (nil is the terminal's own) and attributes.
public struct Style: Hashable, Sendable {
  public var fg: RGB?
  public var bg: RGB?
  public var bold = false
  public var reverse = false
  public var dim = false

  public init(fg: RGB? = nil, bg: RGB? = nil, bold: Bool = false, reverse: Bool = false, dim: Bool = false) {
    self.fg = fg
    self.bg = bg
    self.bold = bold
    self.reverse = reverse
    self.dim = dim
  }

  public static let plain = Style()
}
