/// The colours of every part of the screen, by role.
public struct Theme: Sendable, Equatable {
  public var name: String
  /// The screen's background; nil keeps the terminal's own.
  public var background: RGB?
  public var text: RGB
  public var dimText: RGB
  public var border: RGB
  public var title: RGB
  /// The focused knob's highlight.
  public var focus: RGB
  /// Data points, one colour per class (cycled past the end).
  public var classes: [RGB]
  /// Decision regions at full confidence, one per class; blended toward `uncertain` as the
  /// predicted probability falls.
  public var regions: [RGB]
  /// The region colour where the classes are equally likely.
  public var uncertain: RGB
  public var trainLoss: RGB
  public var testLoss: RGB
  public var marker: RGB
  public var running: RGB
  public var paused: RGB
  public var diverged: RGB
  public var done: RGB
  /// Point glyph per class, so classes differ by shape too.
  public var glyphs: [Unicode.Scalar]

  public func classColor(_ k: Int) -> RGB { classes[k % classes.count] }
  public func regionColor(_ k: Int) -> RGB { regions[k % regions.count] }

  /// A region's colour: the class's colour at full confidence, `uncertain` at a coin toss, in
  /// five steps so that confident and uncertain areas read as bands.
  public func regionColor(_ k: Int, confidence: Double) -> RGB {
    uncertain.mixed(with: regionColor(k), (confidence * 4).rounded() / 4)
  }
  public func glyph(_ k: Int) -> Unicode.Scalar { glyphs[k % glyphs.count] }

  public var textStyle: Style { Style(fg: text, bg: background) }
  public var dimStyle: Style { Style(fg: dimText, bg: background) }
  public var borderStyle: Style { Style(fg: border, bg: background) }
  public var titleStyle: Style { Style(fg: title, bg: background, bold: true) }

  /// What the theme is for, one line.
  public var summary: String
  /// No colour at all: regions by a shade ramp, classes by glyph, focus by reverse video.
  public var monochrome: Bool

  /// The built-in default theme (`themes/default.toml`).
  public static let standard = ThemeCatalog.builtin("default")!
  /// The built-in theme for terminals without colour.
  public static let mono = ThemeCatalog.builtin("mono")!
}
