import Foundation
import Testing

/// Without a UTF-8 locale (`LC_ALL=C`, many containers' default) and with `--ascii`.
@Suite("The dashboard in ASCII", .ownThreads, .serialized, .enabled(if: Tmux.available))
struct ASCIIEndToEndTests {
  /// Runs to the end of a short run in ASCII and checks the screen: only ASCII, both classes'
  /// glyphs, the loss line, sliders, and a chart title that agrees with the status bar; and the
  /// status's hint, naming the variable to set, when `hint` (none with `--ascii`).
  func check(_ tmux: Tmux, hint: String?) throws {
    let first = try #require(tmux.waitFor("the dashboard") { $0.contains("knobs") })
    #expect(first.contains("=C.UTF-8 shows") == (hint != nil), "the hint in the status bar:\n\(first)")
    if let hint { #expect(first.contains(hint), "the hint in the status bar:\n\(first)") }
    let started = Date()
    _ = tmux.waitFor("done", timeout: 40) { $0.contains("done") || $0.contains("=C.UTF-8 shows") }
    if hint != nil {
      // The hint stays 8 seconds.
      Thread.sleep(forTimeInterval: max(0, 8.5 - Date().timeIntervalSince(started)))
    }
    let screen = try #require(
      tmux.waitFor("done", timeout: 40) { $0.contains("done") && !$0.contains("=C.UTF-8 shows") })
    let lines = screen.split(separator: "\n").map(String.init)
    // ASCII only, but for the terminal's line drawing (tmux shows it as box characters when its
    // client has a UTF-8 locale, as the letters of the alternate character set when not).
    let lineDrawing = Unicode.Scalar(0x2500)!...Unicode.Scalar(0x257F)!
    #expect(screen.unicodeScalars.allSatisfy { $0.isASCII || lineDrawing.contains($0) }, "only ASCII:\n\(screen)")
    // Points: class 0 as o, class 1 as x, on the rows of the plot.
    let plot = lines.prefix(20).map { String($0.prefix(42)) }.joined()
    #expect(plot.filter { $0 == "o" }.count > 50 && plot.filter { $0 == "x" }.count > 50, "\(screen)")
    // The loss line in ASCII marks, the sliders with = and o.
    #expect(lines.contains { $0.contains("|") && $0.contains("0.") }, "the loss line")
    #expect(screen.contains("> hidden") && screen.contains("=o"), "the sliders:\n\(screen)")
    // The chart's title holds the loss the status bar shows, and nothing after it but the scale.
    let title = try #require(screen.firstMatch(of: #/loss (\d\.\d{6}) \. (log|linear) /#), "\(screen)")
    let status = try #require(Status(screen)?.loss)
    #expect(String(format: "%.4f", Double(title.output.1)!) == String(format: "%.4f", status))
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
    #expect(tmux.terminalRestored())
  }

  @Test func withoutAUTF8LocaleItDrawsInASCIIAndSaysHowToGetMore() throws {
    let tmux = try Tmux(width: 80, height: 24, environment: ["LC_ALL": "C", "LANG": "C"])
    tmux.launch("--passes 3000 --speed 1000")
    try check(tmux, hint: "LC_ALL=C.UTF-8 shows the full picture")
  }

  @Test func asciiForcesItInAUTF8Locale() throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("--ascii --passes 3000 --speed 1000")
    try check(tmux, hint: nil)
  }
}
