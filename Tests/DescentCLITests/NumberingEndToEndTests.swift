import Foundation
import Testing

/// One numbering everywhere, the post's: its line i is the loss after the update with index i.
@Suite("The post's numbering on screen and in the files", .ownThreads, .serialized, .enabled(if: Tmux.available))
struct NumberingEndToEndTests {
  /// Exports the finished run shown in `tmux` and returns the folder.
  func export(_ tmux: Tmux) throws -> String {
    tmux.press("e")
    _ = tmux.waitFor("the export") { $0.contains("exported to") }
    let folders = try FileManager.default.contentsOfDirectory(atPath: tmux.folder)
      .filter { $0.hasPrefix("descent-export-") }
    return tmux.folder + "/" + (try #require(folders.first))
  }

  /// The loss.csv rows of run 0 by iteration.
  func rows(_ csv: String) -> [Int: Double] {
    var rows: [Int: Double] = [:]
    for line in csv.split(separator: "\n").dropFirst() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      if fields[0] == "0", let i = Int(fields[1]), let loss = Double(fields[2]) { rows[i] = loss }
    }
    return rows
  }

  @Test func iterationOneThousandIsThePostsLineOneThousand() throws {
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("--passes 1001 --speed max")
    let screen = try #require(tmux.waitFor("done") { $0.contains("done") })
    #expect(Status(screen)?.iteration == 1000)
    #expect(Status(screen)?.loss == 0.0689)
    #expect(screen.contains("loss 0.068947 · log"), "the chart's title:\n\(screen)")
    #expect(screen.contains("boundary @ it 1,000"))
    #expect(screen.contains("1.0k it"), "the chart's axis ends at iteration 1,000")
    let folder = try export(tmux)
    let csv = try String(contentsOfFile: folder + "/loss.csv", encoding: .utf8)
    let losses = rows(csv)
    #expect(losses.count == 1001 && losses.keys.min() == 0 && losses.keys.max() == 1000, "every iteration, 0 to 1000")
    #expect(String(format: "%.6f", losses[0] ?? 0) == "0.432387")
    #expect(String(format: "%.6f", losses[1000] ?? 0) == "0.068947")
    let svg = try String(contentsOfFile: folder + "/boundary.svg", encoding: .utf8)
    #expect(svg.contains("· iteration 1,000<") && svg.contains(">iteration 1,000<"), "the SVG's title and axis")
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }

  @Test func lossCSVAgreesWithTrain() throws {
    let train = try CLI.run(["train"])
    let log = train.stdout.split(separator: "\n").compactMap { line -> (Int, String)? in
      guard let match = line.wholeMatch(of: /Loss after iteration (\d+): (\d\.\d+)/) else { return nil }
      return (Int(match.output.1)!, String(match.output.2))
    }
    #expect(log.count == 20)
    let tmux = try Tmux(width: 80, height: 24)
    tmux.launch("--speed max")
    _ = tmux.waitFor("done", timeout: 60) { $0.contains("done") }
    let csv = try String(contentsOfFile: try export(tmux) + "/loss.csv", encoding: .utf8)
    let losses = rows(csv)
    #expect(losses.count == 20000 && losses.keys.max() == 19999, "every iteration of the post's 20,000")
    for (i, printed) in log {
      #expect(String(format: "%.6f", losses[i] ?? 0) == printed, "iteration \(i)")
    }
    tmux.press("q")
    _ = tmux.waitFor("exit status 0") { $0.contains("EXIT=0") }
  }
}
