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
  public func glyph(_ k: Int) -> Unicode.Scalar { glyphs[k % glyphs.count] }

  public var textStyle: Style { Style(fg: text, bg: background) }
  public var dimStyle: Style { Style(fg: dimText, bg: background) }
  public var borderStyle: Style { Style(fg: border, bg: background) }
  public var titleStyle: Style { Style(fg: title, bg: background, bold: true) }

  /// Dark, calm, the classes clearly apart: the built-in default.
  public static let standard = Theme(
    name: "default", background: nil, text: RGB(0xD0, 0xD0, 0xD0), dimText: RGB(0x80, 0x80, 0x80),
    border: RGB(0x5F, 0x6B, 0x7A), title: RGB(0xE8, 0xE8, 0xE8), focus: RGB(0xFF, 0xD7, 0x5F),
    classes: [
      RGB(0xFF, 0x87, 0x5F), RGB(0x5F, 0xD7, 0xFF), RGB(0xAF, 0xFF, 0x5F), RGB(0xFF, 0x5F, 0xD7),
      RGB(0xFF, 0xFF, 0x87), RGB(0xD7, 0xAF, 0xFF),
    ],
    regions: [
      RGB(0x87, 0x2F, 0x1F), RGB(0x1F, 0x4F, 0x87), RGB(0x2F, 0x6F, 0x1F), RGB(0x7F, 0x1F, 0x6F),
      RGB(0x6F, 0x6F, 0x1F), RGB(0x4F, 0x2F, 0x7F),
    ],
    uncertain: RGB(0x26, 0x26, 0x26), trainLoss: RGB(0x5F, 0xD7, 0xFF), testLoss: RGB(0xFF, 0xAF, 0x5F),
    marker: RGB(0xFF, 0xD7, 0x5F), running: RGB(0x87, 0xFF, 0x87), paused: RGB(0xFF, 0xD7, 0x5F),
    diverged: RGB(0xFF, 0x5F, 0x5F), done: RGB(0x87, 0xD7, 0xFF), glyphs: ["●", "▲", "■", "◆", "✚", "★"])
}
