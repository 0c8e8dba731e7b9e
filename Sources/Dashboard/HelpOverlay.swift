/// The `?` screen: every key and what it does, in a box over the middle of the screen.
struct HelpOverlay {
  var theme: Theme
  /// The command line that recreates the current setup.
  var command: String

  func render(into buffer: inout CellBuffer, _ screen: Rect) {
    let rows = KeyMap.help
    let keyWidth = rows.map(\.keys.count).max()! + 2
    let width = min(screen.width - 2, max(keyWidth + rows.map(\.does.count).max()! + 4, 40))
    let height = min(screen.height - 1, rows.count + 4)
    let rect = Rect(
      x: (screen.width - width) / 2, y: max(0, (screen.height - 1 - height) / 2), width: width, height: height)
    buffer.fill(rect, " ", theme.textStyle)
    buffer.box(rect, title: "keys", border: Style(fg: theme.focus, bg: theme.background), titleStyle: theme.titleStyle)
    for (i, row) in rows.enumerated() where rect.y + 1 + i < rect.maxY - 2 {
      let y = rect.y + 1 + i
      buffer.put(row.keys, x: rect.x + 2, y: y, Style(fg: theme.focus, bg: theme.background, bold: true))
      buffer.put(row.does, x: rect.x + 2 + keyWidth, y: y, theme.textStyle, limit: rect.width - keyWidth - 3)
    }
    buffer.put(command, x: rect.x + 2, y: rect.maxY - 2, theme.dimStyle, limit: rect.width - 4)
  }
}
