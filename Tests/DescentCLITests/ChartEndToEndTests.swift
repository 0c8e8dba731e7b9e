import Foundation
import Testing

/// The loss chart and the knob pages at projector size.
@Suite("The loss chart and knob pages at 80x24", .ownThreads, .serialized, .enabled(if: Tmux.available))
struct ChartEndToEndTests {
  @Test func theChartShowsTheRunAndThePagesStayPut() throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("--speed max")
    let done = try #require(tmux.waitFor("done") { $0.contains("done") })
    // The current run on a logarithmic axis: its middle tick (140 of 20,000: the square root) shows.
    #expect(done.contains("· log · run") && done.contains("20k it") && done.contains(" 140 "), "\(done)")
    #expect(done.contains("knobs 1/4"), "the page indicator at 80 columns")
    // Up from the first knob: round to the page's last, the page stays.
    tmux.press("k")
    let up = try #require(tmux.waitFor("the last knob") { $0.contains("▸ speed") })
    #expect(up.contains("knobs 1/4"))
    tmux.press("j")
    _ = tmux.waitFor("the first knob again") { $0.contains("▸ hidden") && $0.contains("knobs 1/4") }
    tmux.press("]", "k")
    let page2 = try #require(
      tmux.waitFor("page 2's last knob") { $0.contains("exercises 2/4") && $0.contains("▸ width") })
    #expect(!page2.contains("knobs 1/4"))
    tmux.press("w")
    let recent = try #require(tmux.waitFor("the recent window") { $0.contains("· log · recent") })
    #expect(recent.contains("20k it"))
    tmux.press("w")
    _ = tmux.waitFor("the session window") { $0.contains("· log · session") }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }
}
