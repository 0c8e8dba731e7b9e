/// The sliders of one knob page: one row per knob, `▸ epsilon  ━━━━●─────  0.01`, the focused
/// one highlighted, knobs that do not apply to the data dimmed.
struct KnobPanel: Widget {
  var settings: Settings
  var focus: Knob
  var theme: Theme
  /// The knobs on show, in order (one page).
  var knobs: [Knob] = Knob.pages[0].knobs

  static let labelWidth = 11  // "activation" and a space
  static let valueWidth = 8

  /// The row a knob sits on inside `rect`, when it is on show.
  static func row(of knob: Knob, in rect: Rect, knobs: [Knob]) -> Int? {
    knobs.firstIndex(of: knob).map { rect.y + 1 + $0 }
  }

  /// The columns of a knob's slider track inside `rect`: none where the panel has room only for
  /// the labels and values (27 columns, at the narrowest terminal).
  static func track(in rect: Rect) -> (x: Int, width: Int) {
    let x = rect.x + 2 + 2 + labelWidth
    return (x, max(0, rect.width - 2 - 2 - labelWidth - valueWidth - 2))
  }

  func render(into buffer: inout CellBuffer, _ rect: Rect) {
    buffer.fill(rect, " ", theme.textStyle)
    let page = focus.page
    let pages = Knob.pageTitles.count
    let name = Knob.pageTitles[page]
    // Which page, at every width: "[ ]" (the keys) only where there is room.
    let title = rect.width >= 40 ? "\(name) \(page + 1)/\(pages) [ ]" : "\(name) \(page + 1)/\(pages)"
    buffer.box(rect, title: title, border: theme.borderStyle, titleStyle: theme.titleStyle)
    let track = Self.track(in: rect)
    for (i, knob) in knobs.enumerated() {
      let y = rect.y + 1 + i
      guard y < rect.maxY - 1 else { break }
      let focused = knob == focus
      let applies = settings.applies(knob)
      let labelStyle =
        focused
        ? Style(fg: theme.focus, bg: theme.background, bold: true, reverse: theme.monochrome)
        : applies ? theme.textStyle : theme.dimStyle
      buffer.put(focused ? "▸" : " ", x: rect.x + 2, y: y, labelStyle)
      buffer.put(knob.label, x: rect.x + 4, y: y, labelStyle)
      let thumb = Int((knob.position(in: settings) * Double(track.width - 1)).rounded())
      for i in 0..<track.width {
        let (char, color): (Unicode.Scalar, RGB) =
          i < thumb
          ? ("━", focused ? theme.focus : theme.text)
          : i == thumb ? ("●", focused ? theme.focus : theme.text) : ("─", theme.dimText)
        buffer.set(track.x + i, y, char, Style(fg: color, bg: theme.background, bold: focused && i <= thumb))
      }
      let text = applies ? knob.text(settings) : "–"
      buffer.put(text.leftPadded(Self.valueWidth), x: track.x + track.width + 1, y: y, labelStyle)
    }
  }
}
