/// One character cell.
public struct Cell: Hashable, Sendable {
  public var char: Unicode.Scalar
  public var style: Style

  public init(_ char: Unicode.Scalar = " ", _ style: Style = .plain) {
    self.char = char
    self.style = style
  }
}
