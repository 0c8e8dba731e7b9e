import Foundation
import Testing

/// A `capture-pane -e` screen as cells: each character with its foreground and background
/// colour (the SGR parameters that chose them, nil for the terminal's default).
struct ColoredScreen {
  struct Cell {
    var char: Character
    var fg: String?
    var bg: String?
  }

  var rows: [[Cell]] = []

  init(_ capture: String) {
    var (fg, bg): (String?, String?) = (nil, nil)
    for line in capture.split(separator: "\n", omittingEmptySubsequences: false) {
      var row: [Cell] = []
      var rest = Substring(line)
      while let first = rest.first {
        if first == "\u{1b}", let match = rest.prefixMatch(of: /\x1b\[([0-9;]*)m/) {
          var parameters = match.output.1.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
          while !parameters.isEmpty {
            let p = parameters.removeFirst()
            switch p {
            case 0: (fg, bg) = (nil, nil)
            case 30...37, 90...97: fg = "\(p < 90 ? p - 30 : p - 90 + 8)"
            case 39: fg = nil
            case 40...47, 100...107: bg = "\(p < 100 ? p - 40 : p - 100 + 8)"
            case 49: bg = nil
            case 38, 48:
              let count = parameters.first == 5 ? 2 : 4
              let value = parameters.prefix(count).map(String.init).joined(separator: ";")
              parameters.removeFirst(min(count, parameters.count))
              if p == 38 { fg = value } else { bg = value }
            default: break
            }
          }
          rest = rest[match.range.upperBound...]
        } else {
          row.append(Cell(char: first, fg: fg, bg: bg))
          rest = rest.dropFirst()
        }
      }
      rows.append(row)
    }
  }
}

/// Every shipped theme at 8 and 16 colours, checked cell by cell in the real terminal.
@Suite("Themes at 8 and 16 colours in a real terminal", .ownThreads, .serialized, .enabled(if: Tmux.available))
struct LowColorEndToEndTests {
  static let glyphs = Set("●▲■◆✚★○△□◇☆✛")

  @Test(
    arguments: ["default", "light", "projector", "colorblind", "solarized", "gruvbox"], ["xterm", "xterm-16color"])
  func pointsStandOutAndRegionsShow(theme: String, term: String) throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("--speed max --theme \(theme)", environment: "TERM=\(term)")
    // At full speed the run can end before the screen has told the trainer its plot's size: the
    // regions come in the snapshot after that (the screen never works them out itself).
    _ = tmux.waitFor("done, with the regions") { $0.contains("done") && $0.contains("▀▀▀▀▀▀▀▀▀▀") }
    let screen = ColoredScreen(tmux.capture(colors: true))
    let background = screen.rows[0].first?.bg  // the plot's border, on the theme's background
    var points = 0
    var regions: [String?: Int] = [:]
    for row in screen.rows.prefix(22) {
      for cell in row.prefix(42) {
        if Self.glyphs.contains(cell.char) {
          points += 1
          #expect(cell.fg != cell.bg, "\(theme) at \(term): a point in the colour of the region under it")
        } else if cell.char == "▀" {
          regions[cell.fg, default: 0] += 1
          regions[cell.bg, default: 0] += 1
        }
      }
    }
    #expect(points >= 100, "\(theme) at \(term): \(points) points")
    // Both classes' regions: two colours, each over a fifth of the plot, neither the background.
    let large = regions.filter { $0.value * 5 > regions.values.reduce(0, +) }
    #expect(
      large.count == 2 && !large.keys.contains(background),
      "\(theme) at \(term): \(regions) on \(background ?? "default")")
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }
}
