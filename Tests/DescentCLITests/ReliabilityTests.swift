import Foundation
import Testing

@Suite("Reliability in a real terminal", .serialized, .enabled(if: Tmux.available))
struct TerminalStormTests {
  @Test func aCrashRestoresTheTerminalAndKeepsTheReport() throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("", environment: "DESCENT_TEST_CRASH=1")
    let screen = try #require(tmux.waitFor("the crash") { $0.contains(/EXIT=\d/) })
    #expect(screen.contains("Fatal error: DESCENT_TEST_CRASH is set"))
    #expect(screen.contains("EXIT=132") || screen.contains("EXIT=133"), "killed by SIGILL or SIGTRAP")
    #expect(!screen.contains("knobs"))
    #expect(tmux.terminalRestored())
  }

  /// Keys a storm may press: everything but the ones that quit or suspend.
  static let keys =
    [
      "Up", "Down", "Left", "Right", "S-Left", "S-Right", "Tab", "BTab", "Escape", "Enter", "BSpace", "Home", "End",
      "PageUp", "PageDown", "IC", "DC", "space", "C-a", "C-l", "C-r", "M-x", "M-[", "F1", "F5", "F12",
    ]
    + "hjklHLsrnyptg?+-=_.,;:0123456789abcdefimouvwxz!@#$%^&*()[]{}<>/\\|'\"`~".map { String($0) }

  /// Raw sequences: mouse clicks and drags (X10 and SGR), broken escapes, a bracketed paste.
  static let sequences = [
    "\u{1b}[M !!", "\u{1b}[M#xx", "\u{1b}[<0;50;10M", "\u{1b}[<0;50;10m", "\u{1b}[<32;60;18M", "\u{1b}[<2;3;3M",
    "\u{1b}[", "\u{1b}O", "\u{1b}[1;5A", "\u{1b}[200~pasted text\u{1b}[201~", "\u{1b}[99999;99999H",
  ]

  @Test func keyAndResizeStormsLeaveAWorkingDashboard() throws {
    var generator = SystemRandomNumberGenerator()
    let tmux = try Tmux(width: 100, height: 30)
    tmux.launch("--speed max")
    _ = tmux.waitFor("the dashboard") { $0.contains("knobs") }
    var sent = 0
    for _ in 0..<30 {
      var batch: [String] = []
      for _ in 0..<100 { batch.append(Self.keys.randomElement(using: &generator)!) }
      tmux.press(batch)
      tmux.type(Self.sequences.randomElement(using: &generator)!, enter: false)
      sent += 101
    }
    for _ in 0..<100 {
      tmux.resize(Int.random(in: 20...250, using: &generator), Int.random(in: 6...70, using: &generator))
    }
    tmux.resize(80, 24)
    tmux.press("Escape")
    usleep(300_000)
    tmux.press("Escape")
    // Still alive, drawing the whole dashboard at the new size, and answering keys.
    let screen = try #require(
      // The storm pressed p (presentation mode), g (the sweep), u (the unit maps) and [ ] (the
      // knob pages, titled "exercises" and "data" at 80 columns) an unknown number of times: any
      // of those screens will do.
      tmux.waitFor("the dashboard after the storm") { screen in
        (screen.contains("╭ loss")
          && ["knobs", "╭ exercises ", "╭ data ", "regularization"].contains { screen.contains($0) })
          || screen.contains("hidden units") || screen.contains("hidden-size sweep")
      })
    #expect(screen.split(separator: "\n").first?.hasPrefix("╭") == true)
    tmux.press("?")
    _ = tmux.waitFor("help after the storm") { $0.contains("pause / resume") }
    tmux.press("Escape")
    _ = tmux.waitFor("help closed") { !$0.contains("pause / resume") }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0 after \(sent) keys and 100 resizes") { $0.contains("EXIT=0") }
    #expect(tmux.terminalRestored())
  }

  @Test func extremeSettingsRunWithoutACrash() throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("--epsilon 10 --lambda 0 --hidden 256 --layers 4 --speed max --exit-after 4")
    let screen = try #require(tmux.waitFor("the run to end", timeout: 60) { $0.contains(/EXIT=\d/) })
    #expect(screen.contains("EXIT=0"))
    #expect(tmux.terminalRestored())
  }
}

@Suite("Bad input never crashes, never leaves a file")
struct BadInputTests {
  static let folder: String = {
    let folder = CLI.temporaryFolder()
    let files: [(String, String)] = [
      ("empty.csv", ""),
      ("header-only.csv", "x,y,label\n"),
      ("ragged.csv", "1,2,0\n3,4\n"),
      ("words.csv", "1,2,0\n3,four,1\n"),
      ("nan.csv", "1,2,0\nnan,4,1\n"),
      ("inf.csv", "1,2,0\n3,-inf,1\n"),
      ("one-class.csv", "1,2,0\n3,4,0\n"),
      ("big-label.csv", "1,2,0\n3,4,100\n"),
      ("float-label.csv", "1,2,0\n3,4,0.5\n"),
      ("three-features.csv", "1,2,3,0\n3,4,5,1\n"),
      ("wrong-tag.json", #"{"format": "descent-model/3", "activation": "tanh", "layers": []}"#),
      ("truncated.json", #"{"format": "descent-model/1", "activation": "tanh", "layers": [{"weights": [[1, 2]"#),
      ("bad-activation.json", #"{"format": "descent-model/1", "activation": "swish", "layers": []}"#),
      (
        "wrong-shape.json",
        #"{"format": "descent-model/1", "activation": "tanh", "layers": [{"weights": [[1, 2, 3]], "biases": [0, 0, 0]}]}"#
      ),
      (
        "three-outputs.json",
        #"{"format": "descent-model/1", "activation": "tanh", "layers": [{"weights": [[1, 2, 3], [4, 5, 6]], "biases": [0, 0, 0]}]}"#
      ),
      (
        "three-inputs.json",
        #"{"format": "descent-model/1", "activation": "tanh", "layers": [{"weights": [[1, 2], [3, 4], [5, 6]], "biases": [0, 0]}]}"#
      ),
      ("not-json.json", "weights: 1, 2, 3"),
      ("bad.toml", "name = \"bad\"\nbackground = \"none\"\ntext = \"red\"\n"),
      ("broken.toml", "name = \"x\n"),
    ]
    for (name, text) in files { try! text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
    // A line of a million columns, and binary junk.
    try! (Array(repeating: "1", count: 1_000_000).joined(separator: ",") + "\n").write(
      toFile: folder + "/million.csv", atomically: true, encoding: .utf8)
    var junk = SystemRandomNumberGenerator()
    try! Data((0..<65536).map { _ in UInt8.random(in: 0...255, using: &junk) }).write(
      to: URL(fileURLWithPath: folder + "/junk.csv"))
    try! Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]).write(to: URL(fileURLWithPath: folder + "/junk.json"))
    return folder
  }()

  /// Arguments, and what the one line on standard error starts with.
  static let cases: [([String], String)] = [
    (["--data", "empty.csv"], "descent: empty.csv: has no data rows"),
    (["--data", "header-only.csv"], "descent: header-only.csv: has no data rows"),
    (["--data", "ragged.csv"], "descent: ragged.csv: line 2 has 2 columns, but line 1 has 3"),
    (["--data", "words.csv"], "descent: words.csv: line 2, column 2: 'four' is not a number"),
    (["--data", "nan.csv"], "descent: nan.csv: line 2, column 1: 'nan' is not a finite number"),
    (["--data", "inf.csv"], "descent: inf.csv: line 2, column 2: '-inf' is not a finite number"),
    (["--data", "one-class.csv"], "descent: one-class.csv: every point has class 0"),
    (["--data", "big-label.csv"], "descent: big-label.csv: line 2, column 3: class label '100' is not a whole number"),
    (["--data", "float-label.csv"], "descent: float-label.csv: line 2, column 3: class label '0.5'"),
    (["--data", "million.csv"], "descent: million.csv: line 1 has 1000000 columns; at most 1000 features"),
    (["--data", "junk.csv"], "descent: junk.csv: is not a text file"),
    (["--data", "missing.csv"], "descent: missing.csv: no such file"),
    (["--data", "."], "descent: .: is a folder"),
    (["--init", "wrong-tag.json"], "descent: wrong-tag.json: format is \"descent-model/3\""),
    (["--init", "truncated.json"], "descent: truncated.json: is not valid JSON"),
    (["--init", "bad-activation.json"], "descent: bad-activation.json: activation \"swish\" is not one of"),
    (
      ["--init", "wrong-shape.json"], "descent: wrong-shape.json: the model takes 1 inputs, but the data has 2 features"
    ),
    (["--init", "three-inputs.json"], "descent: three-inputs.json: the model takes 3 inputs"),
    (["--init", "not-json.json"], "descent: not-json.json: is not valid JSON"),
    (["--init", "junk.json"], "descent: junk.json: is not a text file"),
    (
      ["--init", "three-outputs.json"],
      "descent: three-outputs.json: the model has 3 outputs, but the data has 2 classes"
    ),
    (
      ["--data", "three-features.csv", "--init", "wrong-shape.json"],
      "descent: wrong-shape.json: the model takes 1 inputs, but the data has 3"
    ),
    (["--epsilon", "1e400"], "descent: --epsilon must be above 0 and at most 100; got inf"),
    (["--epsilon", "nan"], "descent: --epsilon must be above 0 and at most 100; got nan"),
    (
      ["--hidden", "99999999999999999999"],
      "descent: --hidden must be a whole number from 1 to 1024, or a list like 8,4; got '99999999999999999999'"
    ),
    // A negative number gets the option's range (the parser alone said a value was missing).
    (["--batch-size", "-5"], "descent: --batch-size must be from 1 to 1000000; got -5"),
    (["--dataset", "moons", "--classes", "4"], "descent: --classes applies to --dataset blobs or spiral"),
    (["--gradient", "median"], "descent: The value 'median' is invalid for '--gradient <gradient>'"),
    (["--test-fraction", "-0.1"], "descent: --test-fraction must be from 0.0 to 0.9; got -0.1"),
    (["--passes", "1", "--print-every", "-1"], "descent: --print-every must be from 0 to 100000000; got -1"),
  ]

  @Test(arguments: cases)
  func oneLineNonZeroNoFile(_ c: ([String], String)) throws {
    let id = UUID().uuidString
    let arguments = ["train", "--passes", "5"] + c.0 + ["--save", "out-\(id).json", "--loss-csv", "out-\(id).csv"]
    let result = try CLI.run(arguments, in: Self.folder)
    #expect(result.status != 0)
    #expect(result.stderr.hasPrefix(c.1), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
    #expect(!result.stderr.contains("Fatal error") && result.stdout.isEmpty)
    let left = try FileManager.default.contentsOfDirectory(atPath: Self.folder).filter { $0.contains(id) }
    #expect(left.isEmpty, "left behind: \(left)")
  }

  @Test(arguments: [
    ("bad.toml", "bad.toml:3: text = \"red\" is not a colour"), ("broken.toml", "broken.toml:1: not valid TOML"),
  ])
  func badThemeFiles(_ file: String, _ message: String) throws {
    let result = try CLI.run(["themes", "check", file], in: Self.folder)
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("descent: " + message), "\(result.stderr)")
  }

  @Test func theDashboardWithoutATerminalSaysSo() throws {
    let result = try CLI.run(["--theme", "bad.toml"], in: Self.folder)
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("descent: the dashboard needs a terminal"))
  }
}

@Suite("Nothing lost")
struct NothingLostTests {
  /// Kills `descent train --save` at many moments; the model file is always either the old one or
  /// a complete new one, never half of one.
  @Test func aKillDuringASaveLeavesTheOldFile() throws {
    let folder = CLI.temporaryFolder()
    let old = try CLI.run(["train", "--passes", "1", "--print-every", "0", "--save", "m.json"], in: folder)
    #expect(old.status == 0)
    let original = try String(contentsOfFile: folder + "/m.json", encoding: .utf8)
    var outcomes: Set<String> = []
    for delay in stride(from: 0, to: 400_000, by: 20_000) {
      let process = Process()
      process.executableURL = CLI.binary
      process.arguments = [
        "train", "--hidden", "1024", "--layers", "6", "--passes", "1", "--print-every", "0", "--save", "m.json",
      ]
      process.currentDirectoryURL = URL(fileURLWithPath: folder)
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      usleep(useconds_t(delay))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      let now = try String(contentsOfFile: folder + "/m.json", encoding: .utf8)
      if now == original {
        outcomes.insert("old")
      } else {
        // A new file must be a whole model.
        #expect(now.hasSuffix("}\n") && now.contains("\"layers\""))
        outcomes.insert("new")
      }
    }
    #expect(outcomes.contains("old"))
  }

  @Test func peakMemoryStaysBoundedForManyPoints() throws {
    let result = try CLI.run([
      "train", "--samples", "100000", "--epsilon", "10", "--lambda", "0", "--passes", "3", "--print-every", "1",
    ])
    #expect(result.status == 0 || result.status == 2, "\(result.stderr)")
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
    #expect(usage.ru_maxrss < 400_000, "peak \(usage.ru_maxrss) KB")  // every child of the test process so far
  }
}
