import Foundation
import Testing

/// Issue 14's terminal cases, through tmux: a dashboard that always answers, always gives the
/// terminal back, and never draws from the background.
@Suite("Faults in a real terminal", .ownThreads, .serialized, .enabled(if: Tmux.available))
struct DashboardFaultTests {
  /// The dashboard's pid: the child of the pane's shell.
  static func dashboardPID(_ tmux: Tmux) -> pid_t? {
    guard let shell = tmux.panePID else { return nil }
    let children = try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
    return children?.split(separator: " ").first.flatMap { pid_t($0) }
  }

  /// A terminal for a test that times the dashboard's exit. The thread sanitizer's pass (CI's
  /// first) runs a sanitized binary, which sleeps a second before it exits to catch races there
  /// (TSan's `atexit_sleep_ms`, 1,000 by default): measured, that second left the 2 s bound 0.6 s
  /// for the machine's load, and a loaded run missed it. The sleep is not the dashboard's, so it is
  /// not timed; the plain pass runs the same tests on a binary that has none.
  static func timedTerminal() throws -> Tmux {
    let given = ProcessInfo.processInfo.environment["TSAN_OPTIONS"].map { $0 + ":" } ?? ""
    return try Tmux(width: 80, height: 24, environment: ["TSAN_OPTIONS": given + "atexit_sleep_ms=0"])
  }

  /// Starts the dashboard and waits until it is up (its pid known, its boxes drawn).
  static func start(_ tmux: Tmux, _ arguments: String) throws -> pid_t {
    tmux.launch(arguments)
    _ = try #require(tmux.waitFor("the dashboard", timeout: 60) { $0.contains("╭") })
    return try #require(dashboardPID(tmux))
  }

  /// Case 8: a network whose first loss takes minutes still answers q, SIGTERM and SIGHUP at once.
  @Test(arguments: ["q", "C-c", "SIGTERM", "SIGHUP"])
  func aHugeNetworkAnswersAtOnce(_ how: String) throws {
    let tmux = try Self.timedTerminal()
    let pid = try Self.start(tmux, "--hidden 1024 --layers 8 --samples 100000 --gradient mean")
    usleep(500_000)
    let sent = Date()
    switch how {
    case "SIGTERM": kill(pid, SIGTERM)
    case "SIGHUP": kill(pid, SIGHUP)
    default: tmux.press(how)
    }
    let screen = try #require(tmux.waitFor("the exit", timeout: 60) { $0.contains(/EXIT=\d/) })
    let seconds = Date().timeIntervalSince(sent)
    // 0.5 s is the promise; tmux's own polling and a loaded CI machine add to what is measured.
    #expect(seconds < 2, "took \(seconds) s")
    let expected = ["SIGTERM": "EXIT=143", "SIGHUP": "EXIT=129", "C-c": "EXIT=130"][how] ?? "EXIT=0"
    #expect(screen.contains(expected), "\(screen)")
    #expect(tmux.terminalRestored())
  }

  /// Part 3: the hidden space and the unit maps of a huge network are the trainer's work (each a
  /// pass of 1,452 points through 8 layers of 1,024 units, seconds on the UI thread): while it
  /// works, the views say so and q is answered at once.
  @Test func theHiddenSpaceAndUnitMapsOfAHugeNetworkWaitForTheTrainer() throws {
    let tmux = try Self.timedTerminal()
    _ = try Self.start(tmux, "--hidden 1024 --layers 8 --samples 300 --gradient mean")
    _ = try #require(tmux.waitFor("the first snapshot", timeout: 120) { $0.contains("300 pts") })
    tmux.press("h")
    _ = try #require(tmux.waitFor("the hidden space") { $0.contains("working out the hidden space") })
    tmux.press("u")
    _ = try #require(tmux.waitFor("the unit maps") { $0.contains("working out the units' maps") })
    let sent = Date()
    tmux.press("q")
    let screen = try #require(tmux.waitFor("the exit", timeout: 60) { $0.contains(/EXIT=\d/) })
    let seconds = Date().timeIntervalSince(sent)
    #expect(seconds < 2, "took \(seconds) s")
    #expect(screen.contains("EXIT=0"), "\(screen)")
  }

  /// Case 12: every catchable signal that ends the process gives the terminal back: the five
  /// the issue saw, and of signal(7)'s others SIGPROF (once missed under load, when Dispatch
  /// sources caught them), SIGPOLL, SIGSYS and real-time ones (SIGTERM, SIGHUP and SIGINT above).
  @Test(arguments: [SIGPIPE, SIGUSR1, SIGUSR2, SIGALRM, SIGXCPU, SIGVTALRM, SIGPROF, SIGPOLL, SIGSYS, 34, 64])
  func everyEndingSignalRestoresTheTerminal(_ signal: Int32) throws {
    let tmux = try Tmux(width: 80, height: 24)
    let pid = try Self.start(tmux, "")
    kill(pid, signal)
    let screen = try #require(tmux.waitFor("the exit") { $0.contains(/EXIT=\d/) })
    #expect(screen.contains("EXIT=\(128 + signal)"), "\(screen)")
    #expect(!screen.contains("╭"), "still on the dashboard's screen")
    #expect(tmux.terminalRestored())
  }

  /// Case 13: stopped and continued from outside, the dashboard stays quiet in the background;
  /// `fg` brings it back, repainted, and it answers keys.
  @Test func stopAndContinueFromOutside() throws {
    let tmux = try Tmux(width: 80, height: 24)
    let pid = try Self.start(tmux, "")
    kill(pid, SIGSTOP)
    _ = tmux.waitFor("the shell to see the job stop") { $0.contains("Stopped") }
    tmux.type("clear")
    _ = tmux.waitFor("a clear shell") { !$0.contains("╭") && !$0.contains("Stopped") }
    kill(pid, SIGCONT)
    usleep(1_500_000)
    #expect(!tmux.capture().contains("╭"), "the dashboard drew from the background")
    tmux.type("fg")
    _ = try #require(tmux.waitFor("the dashboard repainted") { $0.contains("╭") && $0.contains("knobs") })
    tmux.press("?")
    _ = tmux.waitFor("help") { $0.contains("pause / resume") }
    tmux.press("Escape")
    tmux.press("q")
    // (The shell went on with the launch line when the job stopped: no EXIT line to wait for.)
    _ = tmux.waitFor("the shell back") { !$0.contains("╭") }
    let deadline = Date().addingTimeInterval(10)
    while kill(pid, 0) == 0 && Date() < deadline { usleep(50_000) }
    #expect(kill(pid, 0) != 0, "the dashboard is still running")
  }

  /// Case 4: a stats file that cannot be written says so, on the restored terminal.
  @Test func aStatsPathThatCannotBeWrittenIsReported() throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("--stats-json missing/s.json --exit-after 1")
    let screen = try #require(tmux.waitFor("the exit", timeout: 60) { $0.contains(/EXIT=\d/) })
    #expect(screen.contains("descent: missing/s.json: the folder missing does not exist"), "\(screen)")
    #expect(screen.contains("EXIT=1"))
    #expect(tmux.terminalRestored())
  }
}

/// Case 14: points near the largest doubles (`scale` 1.7e308), one line each.
func hugePoints(_ scale: Double = 1.7e308) -> String {
  (0..<40).map { i in "\(Double(i % 7 - 3) / 3 * scale),\(Double(i % 5 - 2) / 2 * -scale),\(i % 2)" }
    .joined(separator: "\n")
}

@Suite("Numbers that cannot be drawn", .ownThreads, .serialized, .enabled(if: Tmux.available))
struct HugeNumberTests {
  /// Case 14: data near ±1e308 is plotted, points and all, and no tick is wider than its place
  /// (the y labels' gutter, six columns on the x axis) or reads nan, inf or `####`.
  @Test func dataNearTheLargestDoublesIsDrawn() throws {
    let tmux = try Tmux(width: 80, height: 24)
    try hugePoints().write(toFile: tmux.folder + "/huge.csv", atomically: true, encoding: .utf8)
    tmux.launch("--data huge.csv --paused --exit-after 20")
    let screen = try #require(tmux.waitFor("the plot") { $0.contains("boundary @") })
    tmux.press("q")
    let lines = screen.split(separator: "\n").map(String.init)
    // Its loss overflows too (no step is taken, paused): said in words.
    #expect(!screen.contains("nan") && !screen.contains("inf") && screen.contains("loss not finite"), "\(screen)")
    let points = lines.prefix(22).map { $0.prefix(43).filter { "●▲".contains($0) }.count }.reduce(0, +)
    #expect(points >= 20, "\(screen)")
    // The y labels read as numbers: the gutter widens to six columns for -2e308, never `####`.
    let yLabels = lines.prefix(22).filter { $0.contains("┤") }.map { line in
      line.dropFirst().prefix { $0 != "┤" }
    }
    #expect(yLabels.allSatisfy { $0.count == 6 }, "\(yLabels)")
    #expect(yLabels.map { $0.trimmingCharacters(in: .whitespaces) } == ["2e308", "0.0", "-2e308"], "\(screen)")
    let xLabels = try #require(lines.first { $0.contains("308") && !$0.contains("┤") })
    for label in xLabels.prefix(43).split(whereSeparator: { " │╰─".contains($0) }) {
      #expect(label.count <= 6, "\(xLabels)")
    }
    _ = tmux.waitFor("the exit") { $0.contains(/EXIT=\d/) }
  }
}

@Suite("Export on a full disk", .ownThreads, .serialized, .enabled(if: Tmux.available))
struct ExportFaultTests {
  /// Case 7: `e` on a full disk (a 16 KB tmpfs) leaves no folder, says why in a line that fits.
  @Test func aFailedExportRemovesWhatItStarted() throws {
    let tmux = try Tmux(width: 80, height: 24)
    let small = tmux.folder + "/small"
    try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: true)
    let mount = try CLI.shell("mount -t tmpfs -o size=16k tmpfs small", in: tmux.folder)
    try #require(mount.status == 0, "a small tmpfs needs root: \(mount.stderr)")
    defer { _ = try? CLI.shell("umount small", in: tmux.folder) }
    tmux.type("cd small")
    tmux.launch("--exit-after 30")
    _ = try #require(tmux.waitFor("the dashboard") { $0.contains("knobs") })
    tmux.press("e")
    let screen = try #require(tmux.waitFor("the export to fail") { $0.contains("no space left on device") })
    #expect(screen.contains("no space left on device; nothing was kept"), "\(screen)")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: small).filter { $0.hasPrefix("descent-export") }.isEmpty)
    tmux.press("q")
    _ = tmux.waitFor("the exit") { $0.contains(/EXIT=\d/) }
  }
}
