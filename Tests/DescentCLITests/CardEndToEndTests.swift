import Dashboard
import Foundation
import Testing

/// The readers' questions: each card through tmux, its panels and its answer on screen.
@Suite("The readers' questions as experiments", .ownThreads, .serialized, .enabled(if: Tmux.available))
struct CardEndToEndTests {
  @Test(arguments: [(80, 24), (160, 48)])
  func everyCardSetsUpItsExperimentAndAnswers(size: (Int, Int)) throws {
    let tmux = try Tmux(width: size.0, height: size.1)
    tmux.launch("")
    _ = tmux.waitFor("the dashboard") { $0.contains("running") && $0.contains("acc ") }
    for (k, card) in Card.all.enumerated() {
      tmux.press("x")
      let title = "\(k + 1)/\(Card.all.count) \(card.title)"
      _ = tmux.waitFor("card \(k + 1): its question, answer and experiment", timeout: 60) { screen in
        let titleShown = screen.contains(String(title.prefix(size.0 - 8)))
        let answerShown = card.answerLines(width: size.0 - 4).allSatisfy { screen.contains($0) }
        let panelsShown = card.panels.allSatisfy { screen.contains($0.title) }
        let viewShown = screen.contains("╰") && screen.contains("loss ")
        // The status says which question and how to leave it (its panels have their own ε and λ).
        let status = screen.split(separator: "\n").last { $0.contains(" · it ") } ?? ""
        let statusShown =
          status.contains("question \(k + 1)/\(Card.all.count) · it ") && status.contains("esc closes")
          && !status.contains("ε ")
        return titleShown && answerShown && panelsShown && viewShown && statusShown
      }
      // The misread derivative's run blows up, and its panel says where.
      if card.panels.contains(where: { $0.title.contains("z1²") }) {
        _ = tmux.waitFor("the misread derivative diverges") { $0.contains("diverged at it") }
      }
      // A card about a line of the code: c opens the code view on it, with a real point's numbers.
      if card.codeLine == .subtractOne {
        tmux.press("c")
        _ = tmux.waitFor("the code view on delta3's line") {
          $0.contains("▸ delta3[range(num_examples), y] -= 1") && $0.contains("before          [")
            && $0.contains("after           [")
        }
        tmux.press("c")
      }
    }
    tmux.press("x")
    _ = tmux.waitFor("back to the boundary") { !$0.contains("10/10") && $0.contains("knobs") }
    tmux.press("q")
    _ = tmux.waitFor("exit") { $0.contains("EXIT=0") }
  }
}
