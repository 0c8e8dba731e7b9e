import Foundation
import Dashboard
import SVGTestSupport
import Testing

/// The whole post in the dashboard, driven through tmux as a person would.
@Suite("The post's story and exercises in a real terminal", .ownThreads, .serialized, .enabled(if: Tmux.available))
struct PostEndToEndTests {
  @Test func helpListsEveryKeyAtEightyByTwentyFour() throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("--paused --hidden 4")
    _ = tmux.waitFor("the dashboard") { $0.contains("knobs") }
    tmux.press("?")
    let help = try #require(
      tmux.waitFor("the whole help") { $0.contains("pause / resume") && $0.contains("descent --hidden 4") })
    for (keys, does) in [
      ("space", "pause / resume"), ("l", "logistic regression"), ("g", "hidden-size sweep"),
      ("u", "hidden-unit maps"), ("[  ]", "knob pages"), ("click plot", "add a point"), ("0-9", "class to add"),
      ("right click", "remove nearest"), ("e  R", "export / record"), ("d", "new data"), ("q  ctrl-c", "quit"),
    ] {
      #expect(help.split(separator: "\n").contains { $0.contains(keys) && $0.contains(does) }, "\(keys): \(does)")
    }
    #expect(help.contains("descent --hidden 4"), "the command line that recreates the setup")
    tmux.press("Escape")
    _ = tmux.waitFor("the help to close") { !$0.contains("pause / resume") }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }

  @Test func logisticRegressionLineAndAccuracy() throws {
    let tmux = try Tmux(width: 100, height: 30)
    tmux.launch("--paused")
    _ = tmux.waitFor("the dashboard") { $0.contains("knobs") }
    tmux.press("l")
    let screen = try #require(tmux.waitFor("the baseline's accuracy") { $0.contains("logistic 85.0%") })
    // The line: braille dots drawn over the plot's half blocks.
    let plotRows = screen.split(separator: "\n").dropFirst().prefix(25).map { $0.prefix(54) }
    let dots = plotRows.reduce(0) { $0 + $1.unicodeScalars.filter { (0x2801...0x28FF).contains($0.value) }.count }
    #expect(dots >= 20, "the line has \(dots) braille cells")
    tmux.press("l")
    _ = tmux.waitFor("the line to go") { !$0.contains("logistic") }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }

  @Test func sweepViewTrainsEverySizeAtOnce() throws {
    let tmux = try Tmux(width: 100, height: 30)
    tmux.launch("--sweep --speed 2000")  // paced, so the test sees it move before the 20,000 passes end
    let screen = try #require(
      tmux.waitFor("seven panels with losses") { screen in
        ["1 unit ", "2 units", "3 units", "4 units", "5 units", "20 units", "50 units"].allSatisfy {
          screen.contains($0)
        } && screen.components(separatedBy: "loss 0.").count == 8 && Self.sweepIteration(screen) != nil
      })  // the status line too: a capture can land between the panels and the last line of a frame
    #expect(screen.contains("hidden-size sweep"))
    let first = try #require(Self.sweepIteration(screen))
    let later = try #require(tmux.waitFor("the sweep to train") { (Self.sweepIteration($0) ?? 0) > first + 2000 })
    #expect(later.contains("▀"))
    // g goes back to the single network.
    tmux.press("g")
    _ = tmux.waitFor("the dashboard") { $0.contains("knobs") && !$0.contains("50 units") }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
    #expect(tmux.terminalRestored())
  }

  static func sweepIteration(_ screen: String) -> Int? {
    guard let line = screen.split(separator: "\n").last(where: { $0.contains("hidden-size sweep · it ") }) else {
      return nil
    }
    let number = line.split(separator: "it ", maxSplits: 1).last?.split(separator: " ").first ?? ""
    return Int(number.replacingOccurrences(of: ",", with: ""))
  }

  @Test func aKnobFromEachExerciseAndTheDataPage() throws {
    let tmux = try Tmux(width: 100, height: 30)
    tmux.launch("--speed 5000")
    _ = tmux.waitFor("the dashboard") { $0.contains("knobs 1/4") }
    // The exercises page: batch size (live, marked), activation and layers (restart, new shape).
    tmux.press("]")
    _ = tmux.waitFor("the exercises page") { $0.contains("exercises 2/4") && $0.contains("▸ batch") }
    tmux.press(">")
    _ = tmux.waitFor("minibatches of 1") { $0.contains("batch 1") }
    tmux.press("j", ">")
    _ = tmux.waitFor("annealing") { $0.contains("anneal 1e-05") }
    tmux.press("j", ">")
    _ = tmux.waitFor("a sigmoid network") { $0.contains("2-3-2 sigmoid") && $0.contains("activation sigmoid") }
    tmux.press("j", ">")
    _ = tmux.waitFor("two hidden layers") { $0.contains("2-3-3-2 sigmoid") }
    // The data page: circles, then more samples.
    tmux.press("]")
    _ = tmux.waitFor("the data page") { $0.contains("data 3/4") && $0.contains("▸ dataset") }
    tmux.press(">")
    _ = tmux.waitFor("circles") { $0.contains("╭ circles · 200 pts") }
    tmux.press("j", ">")
    _ = tmux.waitFor("500 points") { $0.contains("╭ circles · 500 pts") }
    // Blobs take a class count; 3 classes make a 3-output network.
    tmux.press("k", ">", ">")
    _ = tmux.waitFor("blobs") { $0.contains("╭ blobs · 500 pts") }
    tmux.press("j", "j", "j", ">")
    _ = tmux.waitFor("three classes") { $0.contains("3 classes") && $0.contains("-3 sigmoid") }
    // d: new data, the same setup on a fresh seed.
    let before = tmux.capture()
    tmux.press("d")
    _ = tmux.waitFor("new data") { $0.contains("new data") && $0 != before }
    tmux.press("?")
    let help = try #require(tmux.waitFor("the help") { $0.contains("--seed") })
    #expect(help.contains("--batch-size 1") && help.contains("--layers 2") && help.contains("--activation sigmoid"))
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }

  @Test func clicksAddAndRemovePoints() throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("--paused")
    _ = tmux.waitFor("the dashboard") { $0.contains("moons · 200 pts") }
    // Class 1, then a click at an empty spot in the lower left of the plot.
    tmux.press("1")
    _ = tmux.waitFor("the class message") { $0.contains("add class 1") }
    tmux.click(x: 8, y: 19)
    let added = try #require(tmux.waitFor("201 points") { $0.contains("moons · 201 pts") })
    let row = Array(added.split(separator: "\n", omittingEmptySubsequences: false)[19])
    #expect(row[8] == "▲", "the new point is a class-1 triangle: \(String(row))")
    // Training goes on with the new point.
    tmux.press("space")
    _ = tmux.waitFor("training") { (Status($0)?.iteration ?? 0) > 200 }
    // A right click near it takes it away again.
    tmux.click(x: 8, y: 19, button: 2)
    _ = tmux.waitFor("200 points") { $0.contains("moons · 200 pts") }
    tmux.press("?")
    _ = tmux.waitFor("the edits in the command") { $0.contains("point edits by mouse") }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }

  @Test func hiddenUnitMaps() throws {
    let tmux = try Tmux(width: 100, height: 30)
    tmux.launch("--speed max")
    _ = tmux.waitFor("the dashboard") { $0.contains("knobs") }
    tmux.press("u")
    let screen = try #require(tmux.waitFor("three unit maps") { $0.contains("unit 3") && $0.contains("hidden units") })
    #expect(screen.contains("unit 1") && screen.contains("unit 2") && !screen.contains("unit 4"))
    tmux.press("u")
    _ = tmux.waitFor("the loss chart") { $0.contains("loss 0.") && !$0.contains("unit 1") }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }

  @Test func exportWritesAValidSVGAndTheRest() throws {
    let tmux = try Tmux(width: 100, height: 30)
    tmux.launch("--speed max --test-fraction 0.2")
    _ = tmux.waitFor("done") { $0.contains("done") }
    tmux.press("l")
    _ = tmux.waitFor("the baseline") { $0.contains("logistic 8") }
    tmux.press("e")
    _ = tmux.waitFor("the export message") { $0.contains("exported to descent-export-") }
    func exports() -> [String] {
      ((try? FileManager.default.contentsOfDirectory(atPath: tmux.folder)) ?? [])
        .filter { $0.hasPrefix("descent-export-") }.sorted()
    }
    // A second export never replaces the first: a new folder (-2 within the same second).
    tmux.press("e")
    _ = tmux.waitFor("a second export folder") { _ in exports().count == 2 }
    _ = tmux.waitFor("the second export message") { $0.contains("exported to descent-export-") }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }

    let folders = exports()
    #expect(folders.count == 2, "two exports make two folders: \(folders)")
    let folder = tmux.folder + "/" + (folders.first ?? "")
    let files = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
    #expect(files == ["boundary.svg", "model.json", "loss.csv", "data.csv", "command.txt", "train.py"])
    let svg = try #require(SVGCheck.read(folder + "/boundary.svg"), "boundary.svg is well-formed SVG")
    #expect((svg.inGroup["regions"] ?? 0) > 50, "region rectangles")
    #expect(svg.inGroup["points"] == 200, "160 training and 40 test points")
    #expect((svg.inGroup["baseline"] ?? 0) > 20, "the baseline's line")
    #expect(svg.texts.contains { $0.contains("moons") } && svg.texts.contains { $0.hasPrefix("epsilon 0.01") })
    let loss = try String(contentsOfFile: folder + "/loss.csv", encoding: .utf8)
    #expect(loss.hasPrefix("run,iteration,train_loss,test_loss\n") && loss.split(separator: "\n").count > 100)
    // The test loss every 16th iteration of the 20,000, at full speed too: a line, not a few dots.
    let tested = loss.split(separator: "\n").dropFirst().filter {
      !($0.split(separator: ",", omittingEmptySubsequences: false).last ?? "").isEmpty
    }
    #expect(tested.count == 1250, "\(tested.count) rows with a test loss")
    let model = try String(contentsOfFile: folder + "/model.json", encoding: .utf8)
    #expect(model.contains("descent-model/2"))
  }

  /// At 80 columns the export message is cut: its ellipsis shows in the real terminal, in the
  /// bottom-right cell (which ncurses paints without scrolling the screen), it is in
  /// the theme's done colour, and keys do not take it away before its 8 seconds are up.
  @Test func statusMessagesShowTheirEllipsisColourAndStay() throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("--paused")
    _ = tmux.waitFor("the dashboard") { $0.contains("knobs") }
    tmux.press("e")
    let screen = try #require(tmux.waitFor("the export message", colors: true) { $0.contains("exported to") })
    let line = try #require(screen.split(separator: "\n").last { $0.contains("exported to") })
    #expect(line.hasSuffix("…"), "the ellipsis shows: \(line)")
    let plain = tmux.capture()
    #expect(plain.split(separator: "\n").last?.count == 80, "in the last column:\n\(plain)")
    #expect(plain.split(separator: "\n").first?.hasPrefix("╭ moons") == true, "and nothing scrolled:\n\(plain)")
    let done = Palette.nearest(Theme.standard.done, among: 256)
    #expect(line.contains("38;5;\(done)"), "in the done colour: \(line)")
    let shown = Date()
    tmux.press("y", "y")
    Thread.sleep(forTimeInterval: 6)
    #expect(tmux.capture().contains("exported to"), "still there after 6 s and two keys")
    _ = tmux.waitFor("the key hints back", timeout: 20) { $0.contains("? help") && !$0.contains("exported to") }
    #expect(Date().timeIntervalSince(shown) >= 7.5, "gone only after 8 s")
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }

  @Test func printCommandOnExit() throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("--paused --print-command --epsilon 0.05")
    _ = tmux.waitFor("the dashboard") { $0.contains("knobs") }
    tmux.press(">")
    _ = tmux.waitFor("the 2-4-2 network") { $0.contains("2-4-2 tanh") }
    tmux.press("n", "?")
    _ = tmux.waitFor("the new weight seed in the help") { $0.contains("--weight-seed") }
    tmux.press("Escape", "q")
    let screen = try #require(tmux.waitFor("the command") { $0.contains("EXIT=0") })
    // The last such line: the typed command above it may wrap so that a line starts "descent ".
    let line = try #require(screen.split(separator: "\n").last { $0.hasPrefix("descent ") }, "\(screen)")
    #expect(
      line.contains("--hidden 4") && line.contains("--epsilon 0.05") && line.contains("--weight-seed "), "\(screen)")
  }

  /// Every option that shaped the screen comes back in the help's command line and on exit.
  @Test func theCommandLineHoldsTheScreenOptions() throws {
    let tmux = try Tmux(width: 160, height: 40)
    tmux.launch("--paused --print-command --theme light --title 'Lesson 3: the hidden layer' --hide lambda,redraw")
    _ = tmux.waitFor("the dashboard") { $0.contains("knobs") }
    tmux.press("t", "?")
    _ = tmux.waitFor("the command line in the help") { $0.contains("--theme projector") }
    tmux.press("Escape", "p", "q")
    let screen = try #require(tmux.waitFor("the command") { $0.contains("EXIT=0") })
    let line = try #require(screen.split(separator: "\n").last { $0.hasPrefix("descent ") }, "\(screen)")
    #expect(
      line == "descent --theme projector --present --hide lambda,redraw --title 'Lesson 3: the hidden layer'",
      "\(screen)")
  }
}
