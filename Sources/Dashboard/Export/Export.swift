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
    try AtomicFile.write(svg.render(), to: folder + "/boundary.svg", replacing: false)
    try AtomicFile.write(snapshot.boundaryNetwork.modelJSON(), to: folder + "/model.json", replacing: false)
    try AtomicFile.write(
      snapshot.lossLog?.csv ?? lossCSV(snapshot.history), to: folder + "/loss.csv", replacing: false)
    try AtomicFile.write(snapshot.data.csv(), to: folder + "/data.csv", replacing: false)
    try AtomicFile.write((command ?? settings.commandLine) + "\n", to: folder + "/command.txt", replacing: false)
    return folder.hasPrefix(parent + "/") ? String(folder.dropFirst(parent.count + 1)) : folder
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
