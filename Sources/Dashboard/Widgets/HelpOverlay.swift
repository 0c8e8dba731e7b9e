/// The `?` screen: every key and what it does, in a box over the middle of the screen.
struct HelpOverlay: Widget {
  var theme: Theme
  /// The command line that recreates the current setup.
  var command: String

  /// Adds a lesson's keys.
  var inLesson = false

  func render(into buffer: inout CellBuffer, _ screen: Rect) {
    let rows = (inLesson ? [KeyMap.lessonHelp] : []) + KeyMap.help
    let keyWidth = rows.map(\.keys.count).max()! + 2
    let columnWidth = keyWidth + rows.map(\.does.count).max()! + 2
    // One column if it fits the height, else two side by side.
    let oneColumn = rows.count + 5 <= screen.height - 1 || screen.width < 2 * columnWidth + 4
    let perColumn = oneColumn ? rows.count : (rows.count + 1) / 2
    let keysWidth = oneColumn ? columnWidth + 2 : 2 * columnWidth + 4
    let width = min(screen.width - 2, max(keysWidth, 40))
    var commandLines = Self.wrap(command, width: width - 4)
    let height = min(screen.height - 1, perColumn + 3 + commandLines.count)
    // Keep room for the borders, at least one row of keys and the gap under it.
    commandLines = Array(commandLines.suffix(max(0, height - 4)))
    let rect = Rect(
      x: (screen.width - width) / 2, y: max(0, (screen.height - 1 - height) / 2), width: width, height: height)
    buffer.fill(rect, " ", theme.textStyle)
    buffer.box(rect, title: "keys", border: Style(fg: theme.focus, bg: theme.background), titleStyle: theme.titleStyle)
    let firstCommandRow = rect.maxY - 1 - commandLines.count
    for (i, row) in rows.enumerated() {
      let (column, line) = (i / perColumn, i % perColumn)
      let y = rect.y + 1 + line
      guard y < firstCommandRow - 1 || (commandLines.isEmpty && y < rect.maxY - 1) else { continue }
      let x = rect.x + 2 + column * (columnWidth + 2)
      buffer.put(row.keys, x: x, y: y, Style(fg: theme.focus, bg: theme.background, bold: true))
      buffer.put(row.does, x: x + keyWidth, y: y, theme.textStyle, limit: rect.maxX - 1 - x - keyWidth)
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
