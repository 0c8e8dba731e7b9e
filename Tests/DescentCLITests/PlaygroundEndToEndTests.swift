import Foundation
import Testing

/// Issue 17's dashboard side through tmux, as a user sees it: the playground knob page, the
/// network view and the hidden-space view, at 80x24 and 160x48.
@Suite("The playground options in the dashboard", .ownThreads, .serialized)
struct PlaygroundEndToEndTests {
  @Test(arguments: [(80, 24), (160, 48)])
  func networkAndHiddenSpaceViews(_ size: (Int, Int)) throws {
    let tmux = try Tmux(width: size.0, height: size.1)
    tmux.launch("--view network --hidden 5,4 --features x1,x2,x1sq,x2sq --speed max")
    _ = tmux.waitFor("the network view, features named") {
      $0.contains("network 4-5-4-2") && $0.contains("x1² ●") && $0.contains("x2² ●")
    }
    tmux.press("h")
    _ = tmux.waitFor("the hidden space") { $0.contains("hidden space") && $0.contains("1") }
    tmux.press("h")
    _ = tmux.waitFor("the next pair") { $0.contains("units 1 and 3") }
    tmux.press("W")
    _ = tmux.waitFor("the network again") { $0.contains("network 4-5-4-2") }
    tmux.press("W")
    _ = tmux.waitFor("the loss chart") { $0.contains("loss 0.") && !$0.contains("network 4-5-4-2") }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }

  /// The playground page: the optimizer applies live and is marked on the chart; the printed
  /// command line carries it.
  @Test func thePlaygroundPageChangesTheOptimizerLive() throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("--speed max --print-command")
    _ = tmux.waitFor("the dashboard") { $0.contains("╭ knobs") }
    tmux.press("[")
    _ = tmux.waitFor("the playground page") {
      $0.contains("╭ playground") && $0.contains("▸ features") && $0.contains("optimizer") && $0.contains("dropout")
    }
    tmux.press("j")
    tmux.press(">")
    tmux.press(">")
    _ = tmux.waitFor("nesterov chosen") { $0.contains("nesterov") }
    tmux.press("q")
    let out = try #require(tmux.waitFor("the command line") { $0.contains("EXIT=0") })
    #expect(out.contains("descent --optimizer nesterov --speed max") || out.contains("--optimizer nesterov"))
  }

  /// Regression drawn (RMSE in the status line), then the optimizer race and the classes view.
  @Test(arguments: [(80, 24), (160, 48)])
  func regressionRaceAndClasses(_ size: (Int, Int)) throws {
    let tmux = try Tmux(width: size.0, height: size.1)
    tmux.launch("--task regression --dataset gauss --speed max")
    _ = tmux.waitFor("the gauss regression with its RMSE") {
      $0.contains("gauss · 200 pts") && $0.contains("RMSE 0.") && $0.contains("2-3-1 tanh")
    }
    tmux.press("a")
    _ = tmux.waitFor("no classes in a regression") { $0.contains("regression has no classes") }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
    tmux.launch("--view race --speed 2000")
    let race = try #require(
      tmux.waitFor("four panels, their losses on one chart") { screen in
        ["╭ gd ", "╭ momentum ", "╭ nesterov ", "╭ adam "].allSatisfy { screen.contains($0) }
          && screen.contains("losses · log") && screen.contains("━ adam ") && screen.contains("optimizer race · it ")
      })
    #expect(!race.contains("knobs"))
    tmux.press("O")
    _ = tmux.waitFor("the run again") { $0.contains("knobs") && !$0.contains("╭ nesterov ") }
    tmux.press("a")
    _ = tmux.waitFor("the classes view") { $0.contains("╭ classes · ") && $0.contains("● 0") && $0.contains("right") }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.components(separatedBy: "EXIT=0").count == 3 }
  }

  /// The exercises page: choose the second layer and widen it; the run restarts, marked.
  @Test(arguments: [(80, 24), (160, 48)])
  func aLayersWidthFromTheKnobs(_ size: (Int, Int)) throws {
    let tmux = try Tmux(width: size.0, height: size.1)
    tmux.launch("--hidden 6,4 --speed 2000")
    _ = tmux.waitFor("the dashboard") { $0.contains("2-6-4-2 tanh") }
    tmux.press("]")
    _ = tmux.waitFor("the exercises page") { $0.contains("exercises 2/4") && $0.contains("width") }
    tmux.press(["j", "j", "j", "j", ">", "j", ">"])
    _ = tmux.waitFor("layer 2 widened, marked") { $0.contains("2-6-5-2 tanh") && $0.contains("layer 2 width 5") }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }
}
