@testable import Dashboard
import Foundation
import Testing

@testable import descent

/// Lessons and recordings in a real terminal, as a teacher uses them.
@Suite("Lessons and replays in a real terminal", .ownThreads, .serialized, .enabled(if: Tmux.available))
struct LessonEndToEndTests {
  /// The screen's caption rows (the top three), as one line of single-spaced words.
  static func caption(_ screen: String) -> String {
    screen.split(separator: "\n", omittingEmptySubsequences: false).prefix(3)
      .joined(separator: " ").split(separator: " ").joined(separator: " ")
  }

  /// The words of a caption up to its first live value.
  static func fixedStart(_ text: String) -> String {
    String(text.prefix { $0 != "{" }.prefix(40)).split(separator: " ").joined(separator: " ")
  }

  @Test(arguments: ["post", "questions", "playground"])
  func everyStageOfAShippedLessonAt80x24(name: String) throws {
    let lesson = try LessonCatalog.load(name, setup: readSetup, environment: [:])
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("lesson \(name) --speed max")
    for (i, stage) in lesson.stages.enumerated() {
      let heading = LessonCaption.heading(stage: i, of: lesson.stages.count, title: stage.title)
        .split(separator: " ").joined(separator: " ")
      let first = stage.question.map { "Question: " + Self.fixedStart($0) } ?? Self.fixedStart(stage.caption)
      _ = tmux.waitFor("stage \(i + 1) of \(name): its heading and words") { screen in
        Self.caption(screen).hasPrefix(heading) && Self.caption(screen).contains(first)
      }
      if let card = stage.card {
        // The card's panels (or the view that answers it) under the stage's words; its answer
        // once the panels have run, after the class's answer to the stage's question.
        let answer = Self.fixedStart(Card.all[card].answerLines(width: 76)[0])
        if stage.question != nil && !Card.all[card].panels.isEmpty {
          // Waited for, not read once: the heading is at the top of the frame, and a capture can
          // come while the rest of that frame is still being written.
          _ = tmux.waitFor("stage \(i + 1)'s note that space runs the panels") {
            $0.contains("The answer once the panels have run: space runs them.")
          }
          tmux.press("Space")
        }
        _ = tmux.waitFor("stage \(i + 1)'s card and its answer", timeout: 60) { screen in
          screen.contains(Card.all[card].title) && screen.contains(answer)
            && (Card.all[card].panels.isEmpty || Card.all[card].panels.allSatisfy { screen.contains($0.title) })
            && Self.caption(screen).contains(Self.fixedStart(stage.caption))
        }
      }
      if let answer = stage.answer {
        tmux.press("Space")
        _ = tmux.waitFor("stage \(i + 1)'s answer", timeout: 60) {
          Self.caption($0).contains("Answer: " + Self.fixedStart(answer))
        }
      }
      if stage.view == .boundary, !stage.hiddenPanels.contains(.loss), !stage.paused || stage.answer != nil {
        // The loss chart starts at this stage's run (its marker at the chart's left edge, beside
        // the axis), or at the previous stage's where it compares the two.
        let own = "┤(.)stage \(i + 1)"
        _ = tmux.waitFor("stage \(i + 1)'s chart") { screen in
          let atLeft = screen.range(of: own, options: .regularExpression) != nil
          return stage.chart == .previous ? !atLeft && screen.contains("stage \(i + 1) ") : atLeft
        }
      }
      #expect(tmux.capture().split(separator: "\n").first?.contains("\(i + 1)/\(lesson.stages.count)") == true)
      if i + 1 < lesson.stages.count, lesson.stages[i + 1].chart == .previous {
        // The next stage's chart shows this run beside its own: let it run to its stop.
        _ = tmux.waitFor("stage \(i + 1) to finish", timeout: 60) { $0.contains("■ done") }
      }
      tmux.press(i % 2 == 0 ? "Right" : "NPage")  // what a presentation clicker sends
    }
    tmux.press("PPage")
    _ = tmux.waitFor("back one stage") {
      $0.hasPrefix(String(repeating: " ", count: 1)) && $0.contains("\(lesson.stages.count - 1)/\(lesson.stages.count)")
    }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
    #expect(tmux.terminalRestored())
  }

  @Test func aTeachersLessonFromTheUserFolder() throws {
    let config = NSTemporaryDirectory() + "descent-lessons-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: config + "/descent/lessons", withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: config) }
    try """
    title = "Two units on the moons"

    [[stage]]
    title = "Two hidden units"
    question = "Will two hidden units fit the moons?"
    answer = "Two units reach {accuracy} right, loss {loss}."
    caption = "Two tanh units at epsilon {epsilon}."
    setup = "--hidden 2 --speed max"
    knob = "hidden"

    [[stage]]
    title = "Spiral, four arms"
    caption = "Four classes, 30 hidden units."
    setup = "--dataset spiral --classes 4 --hidden 30"
    view = "units"
    hide = ["lambda"]

    [[stage]]
    title = "The code of a step"
    caption = "s steps a line."
    view = "code"

    [[stage]]
    title = "Minibatches side by side"
    question = "Will batches of 10 end as low?"
    caption = "Three runs at once."
    card = "minibatch"

    """.write(toFile: config + "/descent/lessons/twounits.toml", atomically: true, encoding: .utf8)
    let tmux = try Tmux(width: 80, height: 24, environment: ["XDG_CONFIG_HOME": config])
    tmux.launch("lessons")
    // Listing reads every stage of the user's lessons with the command line's parser (the
    // shipped ones were checked before they shipped): quick even in a debug build.
    _ = tmux.waitFor("the list with the teacher's lesson", timeout: 10) {
      $0.contains("twounits    Two units on the moons (4 stages)") && $0.contains("post ")
    }
    tmux.launch("lesson twounits")
    _ = tmux.waitFor("the question") {
      Self.caption($0).contains("1/4 Two hidden units ← → Question: Will two hidden units fit the moons? (space runs)")
        && $0.contains("❚❚ paused") && $0.contains("▸ hidden")
    }
    tmux.press("Space")
    _ = tmux.waitFor("the answer, with live values", timeout: 60) {
      Self.caption($0).contains("Answer: Two units reach") && $0.contains("■ done")
    }
    let answer = tmux.capture()
    let chartTitle = try #require(answer.range(of: "loss [0-9.]+ · log", options: .regularExpression))
    let loss = answer[chartTitle].split(separator: " ")[1]
    #expect(Self.caption(answer).contains("right, loss \(loss)."), "the caption's loss is the chart's")
    tmux.press("Right")
    _ = tmux.waitFor("stage 2 in the units view") {
      Self.caption($0).contains("2/4 Spiral, four arms") && $0.contains("hidden units") && !$0.contains("lambda")
    }
    tmux.press("p")  // presentation mode: the stage's number and title stay on the top row
    _ = tmux.waitFor("the heading in presentation mode") {
      $0.split(separator: "\n").first?.contains("2/4 Spiral, four arms ← →") == true && !$0.contains("knobs")
    }
    tmux.press("PPage")
    _ = tmux.waitFor("stage 1 again, still presenting") {
      $0.split(separator: "\n").first?.contains("1/4 Two hidden units ← →") == true && !$0.contains("▸ hidden")
    }
    tmux.press("p", "Right", "Right")  // out of presentation mode; the code view, paused on its first line
    _ = tmux.waitFor("stage 3 in the code view") {
      Self.caption($0).contains("3/4 The code of a step") && $0.contains("▸ z1 = X.dot(W1) + b1")
        && $0.contains("❚❚ paused")
    }
    tmux.press("Right")  // the card: its three runs wait for the class's answer
    _ = tmux.waitFor("stage 4's card, waiting") {
      Self.caption($0).contains("4/4 Minibatches side by side ← → Question: Will batches of 10 end as low?")
        && $0.contains("batches of 10") && $0.contains("The answer once the panels have run")
    }
    tmux.press("Space")
    _ = tmux.waitFor("the card's answer", timeout: 60) {
      Self.caption($0).contains("Three runs at once.") && $0.contains("The post sums the gradient over the batch")
        && $0.contains("x next · X back · ← → stages") && $0.contains("question 4/10 · it ")
    }
    // Esc keeps the stage's own experiment (its caption asks about it), and says so.
    tmux.press("Escape")
    _ = tmux.waitFor("the card kept") {
      $0.contains("this stage's experiment stays on: ← → go to another stage") && $0.contains("batches of 10")
        && Self.caption($0).contains("Three runs at once.")
    }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }

  @Test func aReplayShowsTheRecordedNumbersAtEveryRecordedIteration() throws {
    let tmux = try Tmux(width: 80, height: 24)
    let file = tmux.folder + "/demo.toml"
    tmux.launch("--record demo.toml --speed 2000")
    _ = tmux.waitFor("running") { ($0.contains("▶ running")) && (Status($0)?.iteration ?? 0) > 300 }
    tmux.press(">")  // hidden 4: a new run
    _ = tmux.waitFor("the 2-4-2 network") { $0.contains("2-4-2 tanh") && (Status($0)?.iteration ?? 0) > 500 }
    tmux.press("j", ">")  // epsilon 0.02, live
    _ = tmux.waitFor("epsilon 0.02") { $0.contains("0.02") && (Status($0)?.iteration ?? 0) > 1500 }
    tmux.press("Space", "s", "s", "s", "n")  // pause, three steps, new weights (a random seed)
    _ = tmux.waitFor("new weights") { $0.contains("❚❚ paused") && (Status($0)?.iteration ?? 1) <= 0 }
    tmux.press("Space")
    _ = tmux.waitFor("running again") { (Status($0)?.iteration ?? 0) > 800 }
    tmux.click(x: 20, y: 10)  // a point added in the plot
    tmux.press("d")  // new data: another random seed
    _ = tmux.waitFor("the new data running") { (Status($0)?.iteration ?? 0) > 500 && $0.contains("▶ running") }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
    let text = try String(contentsOfFile: file, encoding: .utf8)
    let recording = try Recording.parse(text, file: file)
    #expect(recording.events.count >= 10 && recording.events.filter { $0.seed != nil }.count == 2)
    #expect(
      recording.events.allSatisfy { $0.loss != nil } && recording.events.contains { $0.key.recorded == "click 20 10" },
      "\(text)")

    // Played back as fast as it goes, paused and stepped on the way: the loss at each recorded
    // iteration is checked against the recording's.
    tmux.launch("replay demo.toml --speed 300")
    _ = tmux.waitFor("the replay running") { (Status($0)?.iteration ?? 0) > 100 }
    tmux.press("Space")
    _ = tmux.waitFor("paused in the replay") { $0.contains("❚❚ paused") }
    tmux.press("s", "s", "l")
    _ = tmux.waitFor("a key the replay does not take") { $0.contains("replaying: space pauses") }
    tmux.press("+", "+", "+", "+", "Space")
    let done = tmux.waitFor("the replay's end", timeout: 120) { $0.contains("replay done") }
    #expect(done?.contains("every loss as recorded") == true, "\(done ?? "")")
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
    tmux.press("clear", "Enter")
    _ = tmux.waitFor("a clear shell") { !$0.contains("EXIT=0") }

    // A recording whose numbers are not the run's says so.
    let last = try #require(recording.events.last(where: { $0.loss != nil }))
    var altered = recording
    altered.events[altered.events.lastIndex(of: last)!].loss = last.loss! * (1 + 1e-12)
    try altered.text.write(toFile: tmux.folder + "/altered.toml", atomically: true, encoding: .utf8)
    tmux.launch("replay altered.toml --speed max")
    let differs = tmux.waitFor("the replay's end", timeout: 120) { $0.contains("replay done") }
    #expect(differs?.contains("1 not as recorded (first at iteration \(last.iteration))") == true, "\(differs ?? "")")
  }
}

/// `descent lessons check` on broken lessons: every problem, with its line, in one line each.
@Suite("Checking lesson files", .ownThreads)
struct LessonCheckTests {
  static let stage = "title = \"T\"\n\n[[stage]]\ntitle = \"S\"\n"

  /// A broken lesson and what the check must say about it (`LINE: message`).
  static let broken: [(text: String, expected: [String])] = [
    ("title = \"unclosed\n", ["1: not valid TOML: a string is not closed on its line"]),
    ("titel = \"T\"\n[[stage]]\ntitle = \"S\"\n", ["1: unknown key 'titel'", "missing 'title'"]),
    ("title = \"No stages\"\n", ["a lesson needs at least one [[stage]]"]),
    (stage + "setup = \"--epsilonn 0.1\"\n", ["5: stage 1: setup: Unknown option '--epsilonn'"]),
    (stage + "setup = \"--hidden 5000\"\n", ["5: stage 1: setup: --hidden must be from 1 to 1024; got 5000"]),
    (stage + "setup = \"--hidden -3\"\n", ["5: stage 1: setup: --hidden must be from 1 to 1024; got -3"]),
    (
      stage + "setup = \"--dataset rings\"\n",
      ["5: stage 1: setup: --dataset takes one of moons, circles, xor, blobs, spiral, plane, gauss, sine, not 'rings'"]
    ),
    (stage + "knob = \"speeed\"\n", ["5: stage 1: knob 'speeed' is not a knob; the knobs are hidden, epsilon"]),
    (stage + "view = \"graph\"\n", ["5: stage 1: view 'graph' is not a view; the views are boundary, units, sweep"]),
    (stage + "hide = [\"plots\"]\n", ["5: stage 1: hide: 'plots' is not a panel or knob"]),
    (
      stage + "caption = \"" + String(repeating: "many words ", count: 20) + "\"\n",
      ["5: stage 1: the caption takes 3 lines at 80 columns; at most 2 fit"]
    ),
    (stage + "caption = \"now {los}\"\n", ["5: stage 1: {los} is not a live value; write one of {loss}"]),
    (stage + "caption = \"loss {loss\"\n", ["5: stage 1: a '{' is not closed: a live value is written {loss}"]),
    (
      "descent = \"recording 1\"\nsetup = \"\"\nsize = \"80x24\"\nevents = []\n",
      ["1: this is a recording, not a lesson: descent replay"]
    ),
    (stage + "stop = 0\n", ["5: stage 1: 'stop' is the iteration the run stops at, 1 to 100000000"]),
    (stage + "answer = \"yes\"\n", ["5: stage 1: an answer needs a question"]),
    (stage + "chart = \"previous\"\n", ["5: stage 1: chart = \"previous\" needs a stage before this one"]),
    (stage + "captoin = \"x\"\n", ["5: stage 1: unknown key 'captoin'"]),
    (
      stage + "card = \"minibatches\"\n",
      ["5: stage 1: card 'minibatches' is not a readers' question card; the cards are one-unit, biases"]
    ),
    (
      stage + "card = \"chaos\"\nquestion = \"Q?\"\nanswer = \"A.\"\n",
      ["7: stage 1: 'answer' does not go with a card: the card shows its own panels"]
    ),
    (stage + "setup = \"--theme light\"\n", ["5: stage 1: setup: --theme belongs on the command line"]),
    (stage + "setup = \"--data /no/such.csv\"\n", ["5: stage 1: setup: /no/such.csv"]),
    ("title = \"T\"\n[stage]\ntitle = \"S\"\n", ["2: stages are written as [[stage]] tables"]),
    (
      stage + "knob = \"speeed\"\n\n[[stage]]\ntitle = \"\(String(repeating: "Long ", count: 20))\"\nview = 3\n",
      [
        "5: stage 1: knob 'speeed'", "8: stage 2: the title is too long for 80 columns",
        "9: stage 2: 'view' must be a string in quotes",
      ]
    ),
  ]

  @Test func everyBrokenLessonGetsEveryProblemWithItsLine() throws {
    let folder = NSTemporaryDirectory() + "descent-check-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    for (i, lesson) in Self.broken.enumerated() {
      let file = folder + "/broken\(i).toml"
      try lesson.text.write(toFile: file, atomically: true, encoding: .utf8)
      let result = try CLI.run(["lessons", "check", file])
      #expect(result.status == 1 && result.stdout.isEmpty, "broken\(i): \(result.stdout)")
      let lines = result.stderr.split(separator: "\n")
      #expect(lines.count == lesson.expected.count, "broken\(i): \(result.stderr)")
      for (line, expected) in zip(lines, lesson.expected) {
        let prefix = expected.first?.isNumber == true ? "descent: \(file):" : "descent: \(file)"
        #expect(line.hasPrefix(prefix) && line.contains(expected), "broken\(i): \(line) lacks \(expected)")
      }
    }
    let binary = folder + "/binary.toml"
    try Data([0x74, 0, 0xff]).write(to: URL(fileURLWithPath: binary))
    let result = try CLI.run(["lessons", "check", binary, "lessons/post.toml"], in: ThemeEndToEndRoot.path)
    #expect(result.stderr == "descent: \(binary): not a UTF-8 text file\n")
    #expect(result.stdout == "lessons/post.toml: ok (Implementing a neural network from scratch, 10 stages)\n")
    #expect(result.status == 1)
  }

  @Test func theShippedLessonsCheckClean() throws {
    let result = try CLI.run(
      ["lessons", "check", "lessons/post.toml", "lessons/questions.toml", "lessons/playground.toml"],
      in: ThemeEndToEndRoot.path)
    #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
  }

  /// The list reads the setups of the user's lessons (a broken one is named with its line) but
  /// not again those of the shipped ones, which the test above checks: a debug build lists in
  /// well under a second (it took 4.6 s of CPU to read the 32 shipped stages).
  @Test func theListChecksTheUsersLessonsQuickly() throws {
    let config = NSTemporaryDirectory() + "descent-list-\(UUID().uuidString.prefix(8))"
    defer { try? FileManager.default.removeItem(atPath: config) }
    try FileManager.default.createDirectory(atPath: config + "/descent/lessons", withIntermediateDirectories: true)
    try "title = \"Mine\"\n[[stage]]\ntitle = \"one\"\nsetup = \"--epsilon 5000\"\n"
      .write(toFile: config + "/descent/lessons/mine.toml", atomically: true, encoding: .utf8)
    let start = Date()
    let result = try Launch.run(["/usr/bin/env", "XDG_CONFIG_HOME=\(config)", CLI.binary.path, "lessons"])
    let seconds = Date().timeIntervalSince(start)
    #expect(result.status == 0)
    #expect(result.output.contains("  post        Implementing a neural network from scratch (10 stages)\n"))
    #expect(
      result.output.contains(
        "  mine        broken: \(config)/descent/lessons/mine.toml:4: stage 1: setup: --epsilon must be above 0 "
          + "and at most 100; got 5000.0 (descent lessons check)"), "\(result.output)")
    #expect(seconds < 3, "listing took \(seconds) s")
  }

  @Test func aBrokenRecordingIsReportedNotReplayed() throws {
    let folder = NSTemporaryDirectory() + "descent-replay-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let file = folder + "/r.toml"
    try """
    descent = "recording 1"
    setup = "--hidden 0"
    lesson = "nosuch"
    size = "80x24"
    events = [
      "10 space",
      "x >",
    ]
    """.write(toFile: file, atomically: true, encoding: .utf8)
    let result = try CLI.run(["replay", file])
    #expect(result.status == 1)
    #expect(
      result.stderr.split(separator: "\n") == [
        "descent: \(file):7: event \"x >\" must start with the iteration, a whole number 0 or more"
      ], "\(result.stderr)")
    try String(try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "x >", with: "20 >"))
      .write(toFile: file, atomically: true, encoding: .utf8)
    let second = try CLI.run(["replay", file, "--check"])
    #expect(second.status == 1)
    let lines = second.stderr.split(separator: "\n")
    #expect(
      lines.count == 2 && lines[0].hasPrefix("descent: \(file):2: setup: --hidden must be from 1 to 1024"),
      "\(second.stderr)")
    #expect(
      lines.count == 2 && lines[1].hasPrefix("descent: \(file):3: lesson nosuch: no such lesson"), "\(second.stderr)")
    // A lesson given to replay, and a bad panels= mark.
    try LessonCheckTests.stage.write(toFile: folder + "/lesson.toml", atomically: true, encoding: .utf8)
    let lesson = try CLI.run(["replay", folder + "/lesson.toml"])
    #expect(
      lesson.status == 1
        && lesson.stderr
          == "descent: \(folder)/lesson.toml:3: this is a lesson, not a recording: descent lesson \(folder)/lesson.toml gives it (recordings come from --record or R)\n",
      "\(lesson.stderr)")
    try String(
      try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "20 >", with: "20 > panels=5:0.1,x")
    )
    .write(toFile: file, atomically: true, encoding: .utf8)
    let panels = try CLI.run(["replay", file, "--check"])
    #expect(
      panels.stderr.contains(":7: event \"20 > panels=5:0.1,x\": panels= takes each sweep panel's iteration and loss"),
      "\(panels.stderr)")
  }
}

/// The repository's root, where `lessons/` is.
enum ThemeEndToEndRoot {
  static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
}
