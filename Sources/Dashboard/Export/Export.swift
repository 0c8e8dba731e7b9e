import DescentCore
import Dispatch
import Foundation
import Synchronization

/// `e` in the dashboard: the current run into a new folder, `descent-export-YYYYMMDD-HHMMSS`,
/// never over an existing one: the SVG, the model, the loss curve, the points and the command.
public enum Export {
  /// Writes the files into a new folder under `parent` and returns the folder's path.
  public static func write(
    snapshot: Snapshot, settings: Settings, theme: Theme, logScale: Bool, baseline: Bool, command: String? = nil,
    in parent: String = FileManager.default.currentDirectoryPath, date: Date = Date()
  ) throws -> String {
    let folder = try makeFolder(in: parent, date: date)
    let svg = SVGFigure(
      snapshot: snapshot, settings: settings, theme: theme, logScale: logScale, showBaseline: baseline)
    // The post's code for this setup; points edited by mouse are read back from data.csv, the
    // held-out points with them, in the rows the same split takes out again.
    var setup = settings.setup
    var points = snapshot.data
    if settings.edits > 0 {
      setup.source = .file(folder + "/data.csv")
      setup.testFraction = 0
      if let test = snapshot.test, let joined = Dataset.joining(train: points, test: test, seed: setup.seed) {
        (points, setup.testFraction) = joined
      }
    }
    let python = PythonScript.unsupported(setup) == nil ? PythonScript.make(setup, passes: settings.passes) : nil
    let files: [(name: String, text: () -> String)] =
      [
        ("boundary.svg", { svg.render() }), ("model.json", { snapshot.boundaryNetwork.modelJSON() }),
        ("loss.csv", { snapshot.lossLog?.csv ?? lossCSV(snapshot.history) }), ("data.csv", { points.csv() }),
        ("command.txt", { (command ?? settings.commandLine) + "\n" }),
      ] + (python.map { script in [("train.py", { script })] } ?? [])
    do {
      for file in files { try AtomicFile.write(file.text(), to: folder + "/" + file.name, replacing: false) }
    } catch {
      // Half an export is no export: the folder was made for it, so it goes with what is in it.
      for file in files { unlink(folder + "/" + file.name) }
      rmdir(folder)
      throw InputError("\(Self.reason(error)); nothing was kept")
    }
    return folder.hasPrefix(parent + "/") ? String(folder.dropFirst(parent.count + 1)) : folder
  }

  /// The short reason in a write error ("No space left on device"), for the status line.
  static func reason(_ error: any Error) -> String {
    let text = "\(error)"
    guard let open = text.lastIndex(of: "("), let close = text[open...].firstIndex(of: ")") else { return text }
    return String(text[text.index(after: open)..<close]).lowercased()
  }

  /// A folder that did not exist before: mkdir fails on an existing one, so two exports in the
  /// same second get `-2`, `-3`.
  static func makeFolder(in parent: String, date: Date) throws -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    let base = parent + "/descent-export-" + formatter.string(from: date)
    for attempt in 1...100 {
      let path = attempt == 1 ? base : "\(base)-\(attempt)"
      if mkdir(path, 0o755) == 0 { return path }
      guard errno == EEXIST else {
        throw InputError("cannot create \(path): \(String(cString: strerror(errno)))")
      }
    }
    throw InputError("cannot create a new export folder next to \(base)")
  }

  /// The loss curve as CSV: one row per point of the chart's history (every iteration for short
  /// runs; longer runs keep the last loss of each stretch of iterations).
  static func lossCSV(_ history: LossHistory) -> String {
    var rows: [Int: (train: Double?, test: Double?)] = [:]
    for bucket in history.train.buckets { rows[bucket.last, default: (nil, nil)].train = bucket.latest }
    for bucket in history.test.buckets { rows[bucket.last, default: (nil, nil)].test = bucket.latest }
    var out = "iteration,train_loss,test_loss\n"
    for iteration in rows.keys.sorted() {
      let row = rows[iteration]!
      out += "\(iteration),\(row.train.map { "\($0)" } ?? ""),\(row.test.map { "\($0)" } ?? "")\n"
    }
    return out
  }
}
