import Foundation
import Testing

/// The terminal types a class really has, each driven through tmux as a user would.
@Suite("Every terminal type", .ownThreads, .serialized, .enabled(if: Tmux.available))
struct TerminalTypeEndToEndTests {
  /// Whether the type's terminfo has an alternate screen (smcup): then the screen from before
  /// comes back whole; without one (the Linux console, a VT100) the dashboard's frame is wiped.
  static func hasAlternateScreen(_ term: String) -> Bool {
    (try? Spawn.run(["/usr/bin/infocmp", "-1", term], output: true))?.contains("smcup=") ?? false
  }

  /// Prints a line the shell works out (so the typed command does not contain it), then runs
  /// the dashboard under `term` and leaves it by `exit`; checks what is on screen after.
  func leave(term: String, by exit: String, status: String) throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.type("echo before-$((6*7))")
    _ = tmux.waitFor("the line before") { $0.contains("before-42") }
    let marker = String(format: "%.3f", Double.random(in: 80000..<86000))  // finds this process
    tmux.launch("--exit-after \(marker)", environment: "TERM=\(term)")
    _ = tmux.waitFor("the dashboard under \(term)") { $0.contains("knobs") }
    if exit == "TERM" {
      _ = try Spawn.run(["/usr/bin/pkill", "-TERM", "-f", "exit-after \(marker)"], output: false)
    } else {
      tmux.press(exit)
    }
    let screen = try #require(tmux.waitFor("exit status \(status) under \(term)") { $0.contains("EXIT=\(status)") })
    #expect(tmux.terminalRestored(), "\(term) \(exit): stty settings changed")
    #expect(!screen.contains("knobs") && !screen.contains("it/s"), "\(term) \(exit) left the frame:\n\(screen)")
    // Terminfo's padding ("$<50>" in vt100's clear) is for tputs, never for the screen.
    #expect(!screen.contains("$<"), "\(term) \(exit) printed padding:\n\(screen)")
    if Self.hasAlternateScreen(term) {
      #expect(screen.contains("before-42"), "\(term) \(exit): the screen from before is gone:\n\(screen)")
    }
  }

  @Test(arguments: ["xterm", "xterm-256color", "screen", "tmux-256color", "linux", "vt100"])
  func quitLeavesTheScreen(term: String) throws {
    try leave(term: term, by: "q", status: "0")
  }

  /// Ctrl-c, SIGTERM and a crash, on the two types without an alternate screen (the others are
  /// covered by the signal and crash tests at tmux-256color).
  @Test(arguments: ["linux", "vt100"], [("C-c", "130"), ("TERM", "143"), ("crash", "")])
  func signalsAndCrashesLeaveTheScreen(term: String, exit: (String, String)) throws {
    if exit.0 == "crash" {
      let tmux = try Tmux(width: 80, height: 24)
      tmux.launch("", environment: "DESCENT_TEST_CRASH=1 TERM=\(term)")
      let screen = try #require(tmux.waitFor("the crash under \(term)") { $0.contains(/EXIT=13[23]/) })
      #expect(!screen.contains("knobs"), "\(term) crash left the frame:\n\(screen)")
      #expect(screen.contains("Fatal error: DESCENT_TEST_CRASH is set"))
      #expect(tmux.terminalRestored())
    } else {
      try leave(term: term, by: exit.0, status: exit.1)
    }
  }

  /// TERM unset or dumb: one line saying why, and the terminal untouched.
  @Test(arguments: ["env -u TERM", "env TERM=dumb"])
  func withoutACursorTerminalItSaysSo(prefix: String) throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.type("\(prefix) \(CLI.binary.path) 2> err; echo EXIT=$?")
    _ = tmux.waitFor("the refusal") { $0.contains(/EXIT=\d/) }
    let message = try String(contentsOfFile: tmux.folder + "/err", encoding: .utf8)
    #expect(message.split(separator: "\n").count == 1, "one line: \(message)")
    #expect(message.contains("needs a terminal that can move the cursor"))
    #expect(message.contains("descent train"))
    #expect(tmux.capture().contains("EXIT=1"))
  }
}
