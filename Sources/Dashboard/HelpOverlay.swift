/// The `?` screen: every key and what it does, in a box over the middle of the screen.
struct HelpOverlay {
  var theme: Theme
  /// The command line that recreates the current setup.
  var command: String

  func render(into buffer: inout CellBuffer, _ screen: Rect) {
    let rows = KeyMap.help
    let keyWidth = rows.map(\.keys.count).max()! + 2
    let keysWidth = max(keyWidth + rows.map(\.does.count).max()! + 4, 40)
    let width = min(screen.width - 2, max(keysWidth, command.count + 4))
    let commandLines = Self.wrap(command, width: width - 4)
    let height = min(screen.height - 1, rows.count + 3 + commandLines.count)
    let rect = Rect(
      x: (screen.width - width) / 2, y: max(0, (screen.height - 1 - height) / 2), width: width, height: height)
    buffer.fill(rect, " ", theme.textStyle)
    buffer.box(rect, title: "keys", border: Style(fg: theme.focus, bg: theme.background), titleStyle: theme.titleStyle)
    let firstCommandRow = rect.maxY - 1 - commandLines.count
    for (i, row) in rows.enumerated() where rect.y + 1 + i < firstCommandRow - 1 {
      let y = rect.y + 1 + i
      buffer.put(row.keys, x: rect.x + 2, y: y, Style(fg: theme.focus, bg: theme.background, bold: true))
      buffer.put(row.does, x: rect.x + 2 + keyWidth, y: y, theme.textStyle, limit: rect.width - keyWidth - 3)
    }
    for (i, line) in commandLines.enumerated() {
      buffer.put(line, x: rect.x + 2, y: firstCommandRow + i, theme.dimStyle, limit: rect.width - 4)
    }
  }

  /// Splits a command line at spaces into lines of at most `width` characters.
  static func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      if !line.isEmpty && line.count + 1 + word.count > width {
        lines.append(line)
        line = ""
      }
      line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }
}
