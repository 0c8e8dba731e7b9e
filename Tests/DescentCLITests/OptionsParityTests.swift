import Foundation
import Testing

/// `descent train` against the post's numpy code grown with the same options
/// (`scripts/post_numpy.py`), at every printed digit: widths, features, L1, each optimizer,
/// dropout, regression (generated and from a CSV), each alone and in a few combinations. The logs
/// are `scripts/make_option_fixtures.py`'s, which keeps only runs that a 1e-13 nudge of epsilon
/// leaves unchanged (a chaotic run has no single answer to match).
@Suite("Options against numpy", .ownThreads)
struct OptionsParityTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../DescentCoreTests/Fixtures").standardized

  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var arguments: [String]
    var lines: [String]
    var testDescription: String { name }
  }

  static let cases: [Case] = {
    let data = try! Data(contentsOf: fixtures.appendingPathComponent("options-parity.json"))
    let json = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    return (json["cases"] as! [[String: Any]]).map { entry in
      let arguments = (entry["arguments"] as! [String]).map {
        $0 == "regression.csv" ? fixtures.appendingPathComponent($0).path : $0
      }
      return Case(name: entry["name"] as! String, arguments: arguments, lines: entry["lines"] as! [String])
    }
  }()

  @Test(arguments: cases)
  func printsNumpysDigits(_ c: Case) throws {
    let result = try CLI.run(["train"] + c.arguments)
    #expect(result.status == 0, "\(result.stderr)")
    var lines = result.stdout.split(separator: "\n").map(String.init)
    // The final line ends with the time taken, which numpy does not print.
    if let last = lines.lastIndex(where: { $0.hasPrefix("Final loss") }) {
      lines[last] = String(lines[last].split(separator: ";")[0])
    }
    #expect(lines == c.lines)
  }

  @Test func coversEveryOption() {
    let words = Set(Self.cases.flatMap(\.arguments))
    for option in [
      "--hidden", "--features", "--task", "--reg", "--optimizer", "--momentum", "--beta1", "--beta2",
      "--adam-epsilon", "--dropout", "--data",
    ] {
      #expect(words.contains(option), "\(option)")
    }
    for value in ["momentum", "nesterov", "adam", "l1", "regression", "plane", "gauss", "sine"] {
      #expect(words.contains(value), "\(value)")
    }
  }

  /// When python3 has numpy, the script still prints the stored logs (two cases, to stay quick).
  @Test(.enabled(if: hasNumpy))
  func theScriptStillPrintsTheStoredLogs() throws {
    let script = Self.fixtures.appendingPathComponent("../../../scripts/post_numpy.py").standardized.path
    for c in [Self.cases[0], Self.cases.first { $0.name == "regression CSV" }!] {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["python3", script] + c.arguments + ["--summary"]
      let out = Pipe()
      process.standardOutput = out
      try process.run()
      let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      #expect(text.split(separator: "\n").map(String.init) == c.lines, "\(c.name)")
    }
  }
}

/// Whether python3 with numpy is on the PATH.
let hasNumpy: Bool = {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3", "-c", "import numpy"]
  process.standardOutput = FileHandle.nullDevice
  process.standardError = FileHandle.nullDevice
  guard (try? process.run()) != nil else { return false }
  process.waitUntilExit()
  return process.terminationStatus == 0
}()
