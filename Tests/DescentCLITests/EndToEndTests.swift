import Foundation
import Testing

@Suite("tmux is there to drive the dashboard", .ownThreads)
struct TmuxPresence {
  @Test func tmuxIsInstalledWhereCIRuns() {
    if !Tmux.available && !Tmux.inCI {
      print("note: tmux is not installed, so the terminal end-to-end tests are skipped (apt-get install tmux)")
    }
    #expect(Tmux.available || !Tmux.inCI, "CI=true and tmux is missing: the end-to-end tests cannot run")
  }
}

@Suite("The dashboard in a real terminal", .ownThreads, .serialized, .enabled(if: Tmux.available))
struct EndToEndTests {
  @Test func atEightyByTwentyFourEveryPartWorks() throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("--paused --speed 2000")
    let start = try #require(tmux.waitFor("the paused dashboard") { $0.contains("paused") && $0.contains("knobs") })
    let initial = try #require(Status(start))
    #expect(initial.iteration == -1, "no iteration before the first update")
    let initialLoss = try #require(initial.loss)

    // space: training runs, the counter advances and the loss falls.
    tmux.press("space")
    let trained = try #require(tmux.waitFor("1,500 iterations") { (Status($0)?.iteration ?? 0) > 1500 })
    let status = try #require(Status(trained))
    #expect(try #require(status.loss) < initialLoss / 2)

    // The boundary: half blocks in at least two colours. The chart: braille.
    let colored = tmux.capture(colors: true)
    let plotRows = colored.split(separator: "\n").prefix(20)
    let colors = Set(plotRows.flatMap { row in row.matches(of: /\x1b\[[0-9;]*m(?=▀)/).map { String($0.output) } })
    #expect(colors.count >= 2, "the decision regions use \(colors.count) colours")
    let text = tmux.capture()
    #expect(text.contains("▀"))
    #expect(text.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })

    // Epsilon applies live: the value changes, training goes on without a reset.
    tmux.press("j", ">")
    let faster = try #require(tmux.waitFor("epsilon 0.02") { $0.contains("0.02") && $0.contains("ε 0.02") })
    let beforeChange = try #require(Status(faster)).iteration
    #expect(beforeChange > status.iteration)
    _ = tmux.waitFor("training to continue") { (Status($0)?.iteration ?? 0) > beforeChange + 500 }

    // A new hidden size restarts the run with the new shape.
    let beforeRestart = try #require(Status(tmux.capture())).iteration
    tmux.press("k", ">")
    let restarted = try #require(
      tmux.waitFor("the 2-4-2 network") { $0.contains("2-4-2 tanh") && $0.contains("hidden 4") })
    #expect(try #require(Status(restarted)).iteration < beforeRestart)

    // Pause: the counter stops. Step: one more.
    tmux.press("space")
    let paused = try #require(tmux.waitFor("paused") { $0.contains("paused") })
    let stopped = try #require(Status(paused)).iteration
    usleep(500_000)
    #expect(Status(tmux.capture())?.iteration == stopped)
    tmux.press("s")
    _ = tmux.waitFor("one step") { Status($0)?.iteration == stopped + 1 }

    // Help lists the keys; ? again closes it.
    tmux.press("?")
    _ = tmux.waitFor("the help") { $0.contains("pause / resume") && $0.contains("quit") }
    tmux.press("?")
    _ = tmux.waitFor("the help to close") { !$0.contains("pause / resume") }

    // Too small says so, and the dashboard comes back when the window grows.
    tmux.resize(30, 10)
    _ = tmux.waitFor("the too-small message") { $0.contains("needs at least") }
    tmux.resize(80, 24)
    _ = tmux.waitFor("the panels again") { $0.contains("knobs") && $0.contains("loss") }

    // q quits with status 0 and gives the shell back as it was.
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
    tmux.type("echo shell-$((20+22))")
    _ = tmux.waitFor("a usable shell") { $0.contains("shell-42") }
    #expect(tmux.terminalRestored())
  }

  @Test func clickingASliderSetsIt() throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("--paused")
    _ = tmux.waitFor("the dashboard") { $0.contains("knobs") }
    // At 80x24 the knobs panel starts at column 44, row 15; the tracks span columns 59 to 69.
    tmux.click(x: 59, y: 18)
    _ = tmux.waitFor("lambda 0") { $0.contains("▸ lambda     ●──────────        0") }
    tmux.click(x: 69, y: 17)
    _ = tmux.waitFor("epsilon 10") { $0.contains("▸ epsilon    ━━━━━━━━━━●       10") }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }

  /// ncurses read the rest of a mouse report with no time limit: a report cut short (or Alt-[
  /// then M typed) stopped keys and frames until three more bytes came. And X10's one byte a
  /// coordinate cannot say column 96 in UTF-8, so the dashboard asks tmux for SGR's encoding.
  @Test func aCutMouseReportStopsNothingAndWideClicksLand() throws {
    let tmux = try Tmux(width: 160, height: 48)
    tmux.launch("--paused")
    _ = tmux.waitFor("the dashboard") { $0.contains("knobs") }
    #expect(tmux.mouseModes() == "1011")
    for cut in ["\u{1b}[M", "\u{1b}[<0;12"] {
      tmux.type(cut, enter: false)
      usleep(200_000)
      tmux.press("?")
      _ = tmux.waitFor("the help after \(cut.dropFirst())", timeout: 5) { $0.contains("╭ keys") }
      tmux.press("Escape")
      _ = tmux.waitFor("the help closed") { !$0.contains("╭ keys") }
    }
    // At 160x48 lambda's track is row 42, columns 103 to 149: a click on column 145 sets 2.
    tmux.type("\u{1b}[<0;146;43M\u{1b}[<0;146;43m", enter: false)
    _ = tmux.waitFor("lambda 2") { $0.contains(/▸ lambda     ━+●─+ +2│/) }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
    #expect(tmux.mouseModes() == "0000")
    #expect(tmux.terminalRestored())
  }

  @Test func atOneTwentyByFortyThePanelsGrow() throws {
    let tmux = try Tmux(width: 120, height: 40)
    tmux.launch("--speed max")
    let screen = try #require(tmux.waitFor("the dashboard") { $0.contains("knobs") && $0.contains("boundary @ it") })
    let top = screen.split(separator: "\n").first { $0.hasPrefix("╭ moons") }!
    #expect(Array(top).firstIndex(of: "╮") == 65)  // the plot takes 55% of 120 columns
    #expect(screen.split(separator: "\n").count >= 39)
    _ = tmux.waitFor("done") { $0.contains("done") }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
    #expect(tmux.terminalRestored())
  }

  @Test(arguments: [("C-c", "130"), ("TERM", "143"), ("HUP", "129"), ("QUIT", "131")])
  func signalsRestoreTheTerminal(_ signal: String, _ status: String) throws {
    let tmux = try Tmux(width: 80, height: 24)
    let marker = String(format: "%.3f", Double.random(in: 80000..<86000))  // finds this process
    tmux.launch("--exit-after \(marker)")
    _ = tmux.waitFor("the dashboard") { $0.contains("knobs") }
    if signal == "C-c" {
      tmux.press("C-c")
    } else {
      _ = try Spawn.run(["/usr/bin/pkill", "-\(signal)", "-f", "exit-after \(marker)"], output: false)
    }
    _ = tmux.waitFor("exit status \(status)") { $0.contains("EXIT=\(status)") }
    #expect(tmux.terminalRestored())
    #expect(!tmux.capture().contains("knobs"), "the dashboard left its screen behind")
  }

  @Test func statsJSONAfterExitAfter() throws {
    let tmux = try Tmux(width: 100, height: 30)
    tmux.launch("--speed max --passes 100000000 --exit-after 2 --stats-json stats.json")  // trains throughout
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
    let data = try Data(contentsOf: URL(fileURLWithPath: tmux.folder + "/stats.json"))
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let stats = json.compactMapValues { $0 as? Double }
    // Accuracy by class (two classes here), each a share.
    let perClass = try #require(json["per_class_accuracy"] as? [Double])
    #expect(perClass.count == 2 && perClass.allSatisfy { (0...1).contains($0) })
    #expect(stats["iterations"]! > 1000)
    // The run's last iteration in the post's numbering: one run, so one less than the count.
    #expect(stats["last_iteration"] == stats["iterations"]! - 1)
    #expect(stats["frames"]! > 10)
    #expect(stats["frame_ms_p50"]! > 0 && stats["frame_ms_p99"]! >= stats["frame_ms_p50"]!)
    #expect(stats["iterations_per_second"]! > 1000)
    #expect(stats["peak_memory_mb"]! > 1)
    #expect(tmux.terminalRestored())
  }

  @Test func divergenceShowsAndResetRecovers() throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("--epsilon 50")
    _ = tmux.waitFor("diverged") { $0.contains("diverged at it") }
    // 50 is past the slider's end (10): big steps down go 2, 0.2, 0.02.
    tmux.press("j", "H", "H", "H")
    let recovered = try #require(
      tmux.waitFor("running again at epsilon 0.02") {
        $0.contains("running") && !$0.contains("diverged") && $0.contains("epsilon    ━━━━━━●────     0.02")
      })
    #expect(try #require(Status(recovered)).loss != nil)
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }
}
