import Foundation
import Glibc
import Testing

/// Twenty students at once: every session draws, and the server's cost is reported.
@Suite("descent serve, twenty sessions", .ownThreads, .enabled(if: Tmux.available && ServeHarness.sshAvailable))
struct ServeLoadTests {
  @Test func twentyConcurrentSessionsEachDraw() throws {
    let sessions = 20
    let stats = CLI.temporaryFolder()
    let server = try ServeHarness(["--open", "--per-address", "\(sessions)", "--stats-folder", stats])
    let tmux = try Tmux(width: 80, height: 24)
    for _ in 1...sessions {
      try tmux.tmux(["new-window", "-d", "exec " + server.sshLine(["-o", "BatchMode=yes", "-t"])])
    }
    func screen(_ window: Int) -> String { (try? tmux.tmux(["capture-pane", "-p", "-t", ":\(window)"])) ?? "" }
    func drawing(_ window: Int) -> Bool { Status(screen(window)).map { $0.iteration > 0 } ?? false }
    let deadline = Date().addingTimeInterval(120)
    while Date() < deadline && !(1...sessions).allSatisfy(drawing) { usleep(200_000) }
    let shown = (1...sessions).filter(drawing).count
    #expect(shown == sessions, "sessions showing a running dashboard: \(shown) of \(sessions)")

    // Five seconds of twenty dashboards drawing: the server's share, and the dashboards'.
    let children = server.children
    #expect(children.count == sessions)
    let before = (server: Proc.cpuSeconds(server.pid), dashboards: children.map(Proc.cpuSeconds).reduce(0, +))
    let iterationsBefore = (1...sessions).compactMap { Status(screen($0))?.iteration }.reduce(0, +)
    let start = Date()
    usleep(5_000_000)
    let seconds = Date().timeIntervalSince(start)
    let serverCPU = (Proc.cpuSeconds(server.pid) - before.server) / seconds
    let dashboardsCPU = (children.map(Proc.cpuSeconds).reduce(0, +) - before.dashboards) / seconds
    let iterations = (1...sessions).compactMap { Status(screen($0))?.iteration }.reduce(0, +) - iterationsBefore
    let memory = Proc.memory(server.pid)
    #expect(iterations > 0)

    for window in 1...sessions { _ = try? tmux.tmux(["send-keys", "-t", ":\(window)", "q"]) }
    let end = Date().addingTimeInterval(60)
    while Date() < end && !server.children.isEmpty { usleep(100_000) }
    #expect(server.children.isEmpty)
    let files = ((try? FileManager.default.contentsOfDirectory(atPath: stats)) ?? []).filter { $0.hasSuffix(".json") }
    #expect(files.count == sessions)
    let reports = files.compactMap { name -> [String: Double]? in
      guard let data = FileManager.default.contents(atPath: stats + "/" + name),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Double]
      else { return nil }
      return object
    }
    #expect(reports.allSatisfy { ($0["frames"] ?? 0) > 0 })
    let p50 = reports.compactMap { $0["frame_ms_p50"] }.sorted()
    let p99 = reports.compactMap { $0["frame_ms_p99"] }.sorted()
    let frames = reports.compactMap { report in report["frames"].flatMap { f in report["seconds"].map { f / $0 } } }
    #expect(memory.rss > 0 && memory.rss < 500, "server resident memory \(memory.rss) MiB")
    #expect(server.exitStatus() == nil)
    let exits = server.output.split(separator: "\n").filter { $0.contains(" → ") && $0.hasSuffix("exit 0") }.count
    #expect(exits == sessions)
    print(
      String(
        format: """
          descent serve, %d sessions at 80x24 over 5.0 s: server %.1f%% of a core, %.1f MiB resident (peak %.1f); \
          dashboards %.1f%% of a core in all (%.1f%% each), %.0f iterations/s each; \
          frame time p50 %.2f ms (median of sessions), p99 %.2f ms (worst session), %.1f frames/s each
          """, sessions, serverCPU * 100, memory.rss, memory.peak, dashboardsCPU * 100,
        dashboardsCPU * 100 / Double(sessions), Double(iterations) / seconds / Double(sessions),
        p50.isEmpty ? 0 : p50[p50.count / 2], p99.last ?? 0,
        frames.isEmpty ? 0 : frames.reduce(0, +) / Double(frames.count)))
    #expect(server.stop() == 0)
  }
}
