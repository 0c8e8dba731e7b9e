import Foundation
import Testing

@testable import Dashboard

/// The SGR parameters that select a foreground colour in a `capture-pane -e` screen.
func foregrounds(_ screen: String) -> Set<String> {
  Set(screen.matches(of: /38;(?:5;\d+|2;\d+;\d+;\d+)/).map { String($0.output) })
}

@Suite("Themes in a real terminal", .ownThreads, .serialized, .enabled(if: Tmux.available))
struct ThemeEndToEndTests {
  @Test(arguments: ["default", "light", "projector", "colorblind", "solarized", "gruvbox"])
  func eachThemeShowsItsColours(name: String) throws {
    let theme = try ThemeCatalog.load(name, environment: [:])
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("--paused --theme \(name)")
    let screen = try #require(tmux.waitFor("the \(name) theme", colors: true) { $0.contains("knobs") })
    // At 256 colours each class's point colour shows as its nearest palette entry.
    let expected = [0, 1].map { "38;5;\(Palette.nearest(theme.classColor($0), among: 256))" }
    #expect(foregrounds(screen).isSuperset(of: expected), "\(name): \(expected) in \(foregrounds(screen))")
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }

  /// Whether the xterm-direct terminfo (Debian's ncurses-term) is installed.
  static let xtermDirect = ["/usr/share/terminfo/x/xterm-direct", "/lib/terminfo/x/xterm-direct"].contains {
    FileManager.default.fileExists(atPath: $0)
  }

  // Skipped, with its reason, on a developer's machine without the terminfo; in CI (which installs
  // ncurses-term) it runs, and fails if the terminfo went missing.
  @Test(
    .enabled(
      if: xtermDirect || Tmux.inCI,
      "the xterm-direct terminfo is not installed (apt-get install ncurses-term); CI installs it"))
  func truecolourTerminalsGetTheExactColours() throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("--paused --theme gruvbox", environment: "TERM=xterm-direct")
    let screen = try #require(tmux.waitFor("the dashboard", colors: true) { $0.contains("knobs") })
    #expect(foregrounds(screen).isSuperset(of: ["38;2;251;73;52", "38;2;131;165;152"]))  // gruvbox red, blue
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }

  @Test func eightColourTerminalsGetTheNearestBasicColours() throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("--paused", environment: "TERM=xterm")  // xterm's terminfo has 8 colours
    let screen = try #require(tmux.waitFor("the dashboard", colors: true) { $0.contains("knobs") })
    let basic = Set(screen.matches(of: /\[(?:\d+;)*(3[0-7])m/).map { String($0.output.1) })
    #expect(basic.count >= 3, "basic colours used: \(basic)")
    #expect(foregrounds(screen).isEmpty, "no 256-colour or direct colour at 8 colours")
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }

  @Test(arguments: ["NO_COLOR=1", "TERM=vt100"])
  func noColourMeansMono(environment: String) throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("--paused --theme projector", environment: environment)
    // (The regions come from the trainer a moment after the first frame.)
    let screen = try #require(
      tmux.waitFor("the mono dashboard with its regions in shades", colors: true) {
        $0.contains("knobs") && $0.unicodeScalars.contains { "░▒▓".unicodeScalars.contains($0) }
      })
    #expect(foregrounds(screen).isEmpty, "colours under \(environment)")
    #expect(screen.contains("oo") && !screen.contains("▀"))
    #expect(screen.contains("\u{1b}[7m") || screen.contains(";7m"), "the focused knob in reverse video")
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
    #expect(tmux.terminalRestored())
  }

  @Test(arguments: [(80, 24), (60, 20)])
  func presentationModeFits(width: Int, height: Int) throws {
    let tmux = try Tmux(width: width, height: height)
    tmux.launch("--present --theme projector --title Moons --speed max")
    let screen = try #require(
      tmux.waitFor("presentation mode") { $0.contains("regularization 0.01") && $0.contains("done") })
    let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[0].trimmingCharacters(in: .whitespaces) == "Moons")
    #expect(!screen.contains("knobs"))
    #expect(screen.contains(" iteration 19,999  loss 0.0713  accuracy 97.5%  done"))
    #expect(screen.contains(" 3 hidden units  learning rate 0.01  regularization 0.01"))
    tmux.press("p")
    _ = tmux.waitFor("the knobs back") { $0.contains("knobs") }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }

  @Test func aBrokenThemeIsReportedAndTheDefaultUsed() throws {
    let tmux = try Tmux(width: 100, height: 30)
    try "name = \"bad\"\nbackground = \"none\"\ntext = \"red\"\n".write(
      toFile: tmux.folder + "/bad.toml", atomically: true, encoding: .utf8)
    tmux.launch("--paused --theme bad.toml")
    let screen = try #require(tmux.waitFor("the message", colors: true) { $0.contains("bad.toml:3:") })
    #expect(screen.contains("using the default theme"))
    #expect(foregrounds(screen).contains("38;5;\(Palette.nearest(Theme.standard.classColor(0), among: 256))"))
    // t moves to the next theme and says so.
    tmux.press("t")
    _ = tmux.waitFor("theme light") { $0.contains("theme light") }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }
}
