import Foundation
import Testing

/// The cases of issue 14 (faults and hostile input), each through the real binary. Devices are
/// made with `mknod` in a scratch folder, never the real /dev files.
@Suite("Writes: special files, links, early checks, standard output", .ownThreads)
struct WriteFaultTests {
  static func hidden(in folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix(".") }
  }

  static func isCharacterDevice(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR
  }

  /// Case 1: a copy of /dev/null stays a device, exit 0; a copy of /dev/full stays a device and
  /// the failure is reported.
  @Test func aDeviceIsWrittenInPlaceNeverReplaced() throws {
    let folder = CLI.temporaryFolder()
    let made = try CLI.shell("mknod null c 1 3 && mknod full c 1 7", in: folder)
    try #require(made.status == 0, "mknod needs root: \(made.stderr)")
    let quiet = ["train", "--passes", "10", "--print-every", "0"]
    let null = try CLI.run(quiet + ["--save", "null"], in: folder)
    #expect(null.status == 0, "\(null.stderr)")
    #expect(Self.isCharacterDevice(folder + "/null"), "the device was replaced by a file")
    let full = try CLI.run(quiet + ["--save", "full"], in: folder)
    #expect(full.status == 1)
    #expect(full.stderr == "descent: full: could not be written (No space left on device)\n", "\(full.stderr)")
    #expect(Self.isCharacterDevice(folder + "/full"))
    #expect(Self.hidden(in: folder).isEmpty)
  }

  /// Case 1: a FIFO is written to (a reader gets the model), and stays a FIFO.
  @Test func aFIFOIsWrittenToDirectly() throws {
    let folder = CLI.temporaryFolder()
    let result = try CLI.shell(
      "mkfifo pipe && (cat pipe > got.json &) && $D train --passes 10 --print-every 0 --save pipe && sleep 0.5 && test -p pipe",
      in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    let got = try String(contentsOfFile: folder + "/got.json", encoding: .utf8)
    #expect(got.contains("\"descent-model/2\"") && got.hasSuffix("}\n"))
  }

  /// Case 1: a link to a file in another folder is written through; the link stays a link and
  /// its target holds the new model; the temporary file was in the target's folder (none left).
  @Test func aSymlinkIsWrittenThroughToItsTarget() throws {
    let folder = CLI.temporaryFolder()
    let other = CLI.temporaryFolder()
    try "old\n".write(toFile: other + "/target.json", atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(
      atPath: folder + "/link.json", withDestinationPath: other + "/target.json")
    let result = try CLI.run(["train", "--passes", "10", "--print-every", "0", "--save", "link.json"], in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    let link = try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/link.json")
    #expect(link == other + "/target.json")
    let target = try String(contentsOfFile: other + "/target.json", encoding: .utf8)
    #expect(target.contains("\"descent-model/2\""))
    #expect(Self.hidden(in: folder).isEmpty && Self.hidden(in: other).isEmpty)
  }

  /// `/dev/stdout` is the process's own output: the model goes down the pipe.
  @Test func devStdoutIsWrittenDirectly() throws {
    let result = try CLI.run(["train", "--passes", "10", "--print-every", "0", "--save", "/dev/stdout"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("\"format\": \"descent-model/2\""))
  }

  /// Case 2: every output path is checked before the training starts.
  @Test(arguments: [
    (
      ["train", "--passes", "100000000", "--save", "missing/m.json"],
      "descent: missing/m.json: the folder missing does not exist"
    ),
    (
      ["train", "--passes", "100000000", "--save", "ok.json", "--loss-csv", "missing/l.csv"],
      "descent: missing/l.csv: the folder missing does not exist"
    ),
    (
      ["export", "--passes", "100000000", "--svg", "nofolder/x.svg"],
      "descent: nofolder/x.svg: the folder nofolder does not exist"
    ),
    (["train", "--save", ""], "descent: --save: the file name is empty; expected a path to write to"),
    (["train", "--save", "."], "descent: .: is a folder; expected a file name"),
    (
      ["train", "--save", "a.json", "--loss-csv", "./a.json"],
      "descent: --save and --loss-csv name the same file, ./a.json"
    ),
  ])
  func outputPathsAreCheckedFirst(_ arguments: [String], _ message: String) throws {
    let folder = CLI.temporaryFolder()
    let started = Date()
    let result = try CLI.run(arguments, in: folder)
    #expect(Date().timeIntervalSince(started) < 5, "it trained first")
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
  }

  /// Case 3: a failed write to standard output is an error, for every command.
  @Test(arguments: [["train"], ["baseline"], ["gradcheck"], ["sweep", "--sizes", "1", "--passes", "10"], ["themes"]])
  func standardOutputOnAFullDeviceFails(_ arguments: [String]) throws {
    let folder = CLI.temporaryFolder()
    let result = try CLI.shell(
      "mknod full c 1 7 && $D \(arguments.joined(separator: " ")) > full", in: folder)
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr == "descent: standard output could not be written (No space left on device)\n")
  }

  /// Case 3: the log on a disk that fills (a file-size limit) stops with an error, and nothing
  /// is saved as if the run had worked.
  @Test func aLogThatCannotBeWrittenIsAnError() throws {
    let folder = CLI.temporaryFolder()
    let result = try CLI.shell(
      "ulimit -f 8; $D train --passes 100000 --print-every 1 --save m.json > log.txt", in: folder)
    #expect(result.status == 1)
    #expect(result.stderr == "descent: standard output could not be written (File too large)\n", "\(result.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["log.txt"])
  }

  /// Case 5: a reader that stops early does not stop the save.
  @Test func aClosedPipeStillSavesTheModel() throws {
    let folder = CLI.temporaryFolder()
    let result = try CLI.shell(
      "$D train --passes 20000 --print-every 1 --save m.json --loss-csv l.csv | head -1; echo ${PIPESTATUS[0]}",
      in: folder)
    #expect(result.stdout == "Loss after iteration 0: 0.432387\n0\n", "\(result.stdout) \(result.stderr)")
    let model = try String(contentsOfFile: folder + "/m.json", encoding: .utf8)
    #expect(model.hasSuffix("}\n"))
    let csv = try String(contentsOfFile: folder + "/l.csv", encoding: .utf8)
    #expect(csv.split(separator: "\n").count == 20001)
  }

  /// Case 6: SIGTERM (and the other ending signals) while a large model is being written leave
  /// no temporary file behind, and end the process as the signal does.
  @Test(arguments: [SIGTERM, SIGINT, SIGHUP, SIGUSR1])
  func aSignalDuringASaveRemovesTheTemporaryFile(_ signal: Int32) throws {
    let folder = CLI.temporaryFolder()
    let pid = try CLI.spawn(
      [
        "train", "--hidden", "1024", "--layers", "8", "--passes", "1", "--print-every", "0", "--save",
        folder + "/m.json",
      ])
    // Wait for the temporary file, wherever the save makes it, then signal.
    let deadline = Date().addingTimeInterval(120)
    while Self.hidden(in: folder).isEmpty && kill(pid, 0) == 0 && Date() < deadline { usleep(2_000) }
    #expect(!Self.hidden(in: folder).isEmpty, "no temporary file was seen")
    kill(pid, signal)
    let status = CLI.wait(pid)
    #expect(status & 0x7f == signal, "wait status \(status)")  // ended by the signal itself
    #expect(Self.hidden(in: folder).isEmpty, "left behind: \(Self.hidden(in: folder))")
  }
}

@Suite("Divergence, incompatible options and clear messages", .ownThreads)
struct DivergenceAndMessageTests {
  /// Case 15: divergence is noticed at the step it happens, whatever is printed, in every
  /// command; nothing is saved.
  @Test(arguments: [
    ["train", "--epsilon", "100", "--print-every", "0", "--save", "m.json"],
    ["train", "--samples", "1000000", "--print-every", "0", "--passes", "50", "--save", "m.json"],
    ["train", "--epsilon", "100", "--batch-size", "10", "--print-every", "0", "--save", "m.json"],
    ["sweep", "--epsilon", "100", "--sizes", "3"],
    ["export", "--epsilon", "100", "--svg", "m.svg"],
  ])
  func divergenceIsAnErrorAtEveryStep(_ arguments: [String]) throws {
    let folder = CLI.temporaryFolder()
    let result = try CLI.run(arguments, in: folder)
    #expect(result.status == 2, "\(result.stdout) \(result.stderr)")
    #expect(result.stderr.hasPrefix("descent: diverged at iteration "), "\(result.stderr)")
    #expect(!result.stdout.contains("inf") && !result.stdout.contains("nan"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
  }

  /// Case 16 and part 8: options that do not fit together are refused in one line.
  @Test(arguments: [
    (["sweep", "--init", "m.json", "--sizes", "1,50"], "descent: --init fixes the hidden size"),
    (["sweep", "--init", "m.json"], "descent: --init fixes the hidden size"),
    (["train", "--data", "m.json", "--noise", "0.3"], "descent: --noise applies to generated points"),
  ])
  func incompatibleOptionsAreRefused(_ arguments: [String], _ message: String) throws {
    let folder = CLI.temporaryFolder()
    _ = try CLI.run(["train", "--passes", "1", "--print-every", "0", "--save", "m.json"], in: folder)
    let result = try CLI.run(arguments, in: folder)
    #expect(result.status == 64)
    #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  /// Case 17: each message says what is wrong and what is accepted.
  @Test(arguments: [
    (
      "nan.json",
      #"{"format": "descent-model/1", "activation": "tanh", "layers": [{"weights": [[NaN, 1]], "biases": [0, 0]}]}"#,
      "descent: nan.json: line 1: NaN is not a number JSON allows; model files hold finite numbers only"
    ),
    (
      "big.json",
      #"{"format": "descent-model/1", "activation": "tanh", "layers": [{"weights": [[1e400, 1]], "biases": [0, 0]}]}"#,
      "descent: big.json: line 1: 1e400 is too large for a Double; model files hold finite numbers only"
    ),
    ("null.json", "null", "descent: null.json: must be a JSON object with \"format\", \"activation\" and \"layers\""),
  ])
  func modelMessagesSayWhatIsWrong(_ name: String, _ text: String, _ message: String) throws {
    let folder = CLI.temporaryFolder()
    try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
    let result = try CLI.run(["train", "--passes", "1", "--init", name], in: folder)
    #expect(result.status == 1)
    #expect(result.stderr == message + "\n", "\(result.stderr)")
  }

  /// Case 17: a pipe or a device is read like a file; an overlong field is quoted short.
  @Test func pipesAndDevicesAreReadAndLongFieldsQuotedShort() throws {
    let folder = CLI.temporaryFolder()
    let piped = try CLI.shell(
      "printf '1,2,0\\n3,4,1\\n' | $D train --passes 1 --print-every 0 --data /dev/stdin", in: folder)
    #expect(piped.status == 0, "\(piped.stderr)")
    let zero = try CLI.shell("mknod zero c 1 5 && $D train --passes 1 --data zero", in: folder)
    #expect(zero.status == 1)
    #expect(zero.stderr == "descent: zero: is not a text file (expected a CSV file of features then a class label)\n")
    try ("1,2,0\n" + String(repeating: "x", count: 200_000) + ",2,1\n").write(
      toFile: folder + "/long.csv", atomically: true, encoding: .utf8)
    let long = try CLI.run(["train", "--passes", "1", "--data", "long.csv"], in: folder)
    #expect(long.status == 1)
    #expect(long.stderr.count < 200, "\(long.stderr.prefix(300))")
    #expect(long.stderr.hasPrefix("descent: long.csv: line 2, column 1: 'xxxxxxxxxxxxxxxxxxxx…' is not a number"))
  }
}

@Suite("Numbers that cannot be drawn, in files", .ownThreads)
struct HugeNumberFileTests {
  /// Case 14: the figure of data near ±1e300 (a step on ±1e308 overflows) has its points and
  /// short tick labels.
  @Test func theFigureOfHugeDataHasShortTicks() throws {
    let folder = CLI.temporaryFolder()
    try hugePoints(1.7e300).write(toFile: folder + "/huge.csv", atomically: true, encoding: .utf8)
    let result = try CLI.run(
      ["export", "--data", "huge.csv", "--passes", "1", "--lambda", "0", "--svg", "h.svg"], in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    let svg = try String(contentsOfFile: folder + "/h.svg", encoding: .utf8)
    // The tick labels: the texts on the x axis's line.
    let texts = svg.matches(of: /y="([0-9.]+)" font-size="12"[^>]*>([^<]*)</).map { (String($0.1), String($0.2)) }
    let ticks = texts.filter { $0.0 == texts.first?.0 }.map(\.1)
    #expect(ticks.count == 3)
    for tick in ticks { #expect(tick.count <= 10 && !tick.contains("nan") && !tick.contains("inf"), "\(tick)") }
    let points = try #require(svg.firstMatch(of: /<g id="points">\n([\s\S]*?)<\/g>/)).1
    #expect(points.split(separator: "\n").count == 40, "every point drawn")
  }

  /// Data too large to train on diverges at iteration 0 whatever the step: the line says the
  /// data's scale is the cause and how to fix it, not "a smaller --epsilon".
  @Test func aDivergenceFromTheDatasScaleSaysSo() throws {
    let folder = CLI.temporaryFolder()
    try hugePoints().write(toFile: folder + "/huge.csv", atomically: true, encoding: .utf8)
    for command in [["train"], ["sweep", "--sizes", "3"], ["export", "--svg", "h.svg"]] {
      let result = try CLI.run(command + ["--data", "huge.csv", "--epsilon", "1e-9"], in: folder)
      #expect(result.status == 2, "\(command): \(result.stderr)")
      #expect(
        result.stderr
          == "descent: diverged at iteration 0: the loss is no longer a finite number; the data's values reach "
          + "1.7e308: scale them to about -1..1 (a smaller --epsilon does not fix that)\n", "\(command)")
    }
  }
}

@Suite("Bounded work and memory", .ownThreads)
struct BoundedWorkTests {
  /// Case 11: the baseline's 51 fits sum over the points without an allocation a point (an array
  /// made for every point of every evaluation is at least one a point a fit: 204,000 more for
  /// 4,000 more points). Above 20,000 points it fits 20,000 spread over the data and says so.
  /// Progress goes to standard error once the work takes longer than a second (here at once).
  @Test func theBaselineScalesAndShowsProgress() throws {
    let folder = CLI.temporaryFolder()
    let progress = ["DESCENT_PROGRESS_AFTER": "0"]
    let (fewer, first) = try Allocations.count(["baseline", "--samples", "1000"], in: folder, environment: progress)
    #expect(first.status == 0, "\(first.stderr)")
    let (more, result) = try Allocations.count(["baseline", "--samples", "5000"], in: folder, environment: progress)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("Logistic regression (C = "), "\(result.stdout)")
    #expect(!result.stdout.contains("points"), "\(result.stdout)")
    #expect(result.stderr.contains(/fitting logistic regression: \d+ of 51 \(\d+ s\)\n/), "\(result.stderr)")
    #expect(more - fewer < 51 * 4000, "\(fewer) allocations for 1,000 points, \(more) for 5,000")
    let post = try CLI.run(["baseline"])
    #expect(post.stderr.isEmpty, "quick work shows no progress")
  }

  /// Case 11: a CSV of 1,000,000 rows (41 MB) is read, checked and trained on once without an
  /// allocation a row: fewer than one in ten more rows, counted against 100,000 rows (a String
  /// split of each line is one or more a row).
  @Test func aMillionRowCSVLoadsWithoutAllocatingPerRow() throws {
    let folder = CLI.temporaryFolder()
    func write(_ count: Int, to name: String) throws {
      var rows = ["x1,x2,label"]
      rows.reserveCapacity(count + 1)
      for i in 0..<count { rows.append("\(Double(i % 997) / 250 - 2),\(Double(i % 991) / 250 - 2),\(i % 2)") }
      try (rows.joined(separator: "\n") + "\n").write(toFile: folder + "/" + name, atomically: false, encoding: .utf8)
    }
    try write(100_000, to: "small.csv")
    try write(1_000_000, to: "big.csv")
    let train = ["train", "--passes", "1", "--print-every", "0", "--gradient", "mean", "--data"]
    let (fewer, first) = try Allocations.count(train + ["small.csv"], in: folder)
    #expect(first.status == 0, "\(first.stderr)")
    let (more, result) = try Allocations.count(train + ["big.csv"], in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("Final loss "), "\(result.stdout)")
    // Six-digit counts keep a space between the confusion matrix's columns.
    let matrix = result.stdout.split(separator: "\n").suffix(2).map { $0.split(separator: " ").count }
    #expect(matrix == [3, 3], "\(result.stdout)")
    #expect(more - fewer < 90_000, "\(fewer) allocations for 100,000 rows, \(more) for 1,000,000")
  }

  /// Case 10: a model is read as it streams in. A 22 MB model (2-1024-1024-2) took 78 MB more
  /// than a tiny one with the JSON decoder; numbers kept as doubles, 33 MB (with its training).
  @Test func aLargeModelIsReadInLittleMoreThanItsNumbers() throws {
    let folder = CLI.temporaryFolder()
    var generator = SystemRandomNumberGenerator()
    func layer(_ rows: Int, _ columns: Int) -> String {
      let weights = (0..<rows).map { _ in
        "[" + (0..<columns).map { _ in "\(Double.random(in: -1...1, using: &generator))" }.joined(separator: ",") + "]"
      }
      return #"{"weights": ["# + weights.joined(separator: ",\n") + #"], "biases": ["#
        + [String](repeating: "0", count: columns).joined(separator: ",") + "]}"
    }
    let big =
      #"{"format": "descent-model/1", "activation": "tanh", "layers": ["#
      + [layer(2, 1024), layer(1024, 1024), layer(1024, 2)].joined(separator: ",") + "]}"
    try big.write(toFile: folder + "/big.json", atomically: true, encoding: .utf8)
    let small =
      #"{"format": "descent-model/1", "activation": "tanh", "layers": ["# + layer(2, 3) + "," + layer(3, 2)
      + "]}"
    try small.write(toFile: folder + "/small.json", atomically: true, encoding: .utf8)
    var peaks: [Int] = []
    for model in ["small", "big"] {
      let result = try CLI.shell(
        "/usr/bin/time -f %M -o \(model).kb $D train --init \(model).json --samples 10 --passes 1 --print-every 0",
        in: folder)
      #expect(result.status == 0, "\(result.stderr)")
      peaks.append(
        try #require(Int(String(contentsOfFile: "\(folder)/\(model).kb", encoding: .utf8).filter(\.isNumber))))
    }
    let megabytes = Double(big.utf8.count) / 1e6
    #expect(Double(peaks[1] - peaks[0]) / 1e3 < 2 * megabytes, "\(peaks) KB for a \(megabytes) MB model")
  }

  /// Case 9: checking a theme is linear in its keys (10,000 unknown keys took 87 s).
  @Test func aThemeOfTenThousandUnknownKeysIsCheckedQuickly() throws {
    let folder = CLI.temporaryFolder()
    let keys = (0..<10_000).map { "unknown\($0) = \"#000000\"" }.joined(separator: "\n")
    try ("name = \"big\"\nbackground = \"none\"\n" + keys + "\n").write(
      toFile: folder + "/big.toml", atomically: true, encoding: .utf8)
    let started = Date()
    // (10,000 lines of problems: into a file, more than a pipe holds while stdout is read.)
    let result = try CLI.shell("$D themes check big.toml 2> problems.txt", in: folder)
    #expect(Date().timeIntervalSince(started) < 15)
    #expect(result.status == 1)
    let problems = try String(contentsOfFile: folder + "/problems.txt", encoding: .utf8)
    #expect(problems.contains("big.toml:10002: unknown key 'unknown9999'"), "\(problems.suffix(300))")
  }

  /// Case 10: the log streams: memory stays flat however many lines are printed and kept.
  @Test func theLogAndLossCSVStreamInFlatMemory() throws {
    let folder = CLI.temporaryFolder()
    let result = try CLI.shell(
      """
      /usr/bin/time -f '%M' -o short.kb $D train --passes 5000 --print-every 1 --loss-csv a.csv > /dev/null &&
      /usr/bin/time -f '%M' -o long.kb $D train --passes 500000 --print-every 1 --loss-csv b.csv > /dev/null
      """, in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    let short = try #require(Int(String(contentsOfFile: folder + "/short.kb", encoding: .utf8).filter(\.isNumber)))
    let long = try #require(Int(String(contentsOfFile: folder + "/long.kb", encoding: .utf8).filter(\.isNumber)))
    // A hundred times the lines: the peak stays within a few MB (it was 100 MB more and growing).
    #expect(long < short + 8_000, "peak \(short) KB for 5,000 lines, \(long) KB for 500,000")
    let lines = try String(contentsOfFile: folder + "/b.csv", encoding: .utf8).split(separator: "\n").count
    #expect(lines == 500_001)
  }

  /// Case 10: --init checks the same limits as the options.
  @Test func initChecksTheOptionsLimits() throws {
    let folder = CLI.temporaryFolder()
    let wide = (0..<2).map { _ in "[" + Array(repeating: "0", count: 2000).joined(separator: ",") + "]" }
    let rows = Array(repeating: "[0, 0]", count: 2000).joined(separator: ",")
    let model = """
      {"format": "descent-model/1", "activation": "tanh", "layers": [
        {"weights": [\(wide.joined(separator: ","))], "biases": [\(Array(repeating: "0", count: 2000).joined(separator: ","))]},
        {"weights": [\(rows)], "biases": [0, 0]}]}
      """
    try model.write(toFile: folder + "/wide.json", atomically: true, encoding: .utf8)
    let result = try CLI.run(["train", "--init", "wide.json"], in: folder)
    #expect(result.status == 1)
    // Refused while it is read: the first list longer than any layer the options allow.
    #expect(
      result.stderr
        == "descent: wide.json: line 2: a list of more than 1024 values; no model the options allow has one\n")
  }

  /// Case 10: a file over the size limit is refused while it is read, a pipe included.
  @Test func anOversizedInputIsRefusedWhileRead() throws {
    let folder = CLI.temporaryFolder()
    let result = try CLI.shell(
      "head -c 300000000 /dev/zero | tr '\\000' '1' | $D train --data /dev/stdin", in: folder)
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("descent: /dev/stdin: is larger than 256 MB"), "\(result.stderr)")
  }
}
