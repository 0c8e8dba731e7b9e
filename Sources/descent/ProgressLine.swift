import Dispatch
import Foundation

/// Progress on standard error for work that takes more than a second: on a terminal one line
/// rewritten in place, elsewhere a line every few seconds. Quick work prints nothing.
struct ProgressLine {
  let what: String
  let total: Int
  private let start = DispatchTime.now().uptimeNanoseconds
  private var lastShown: UInt64 = 0
  private var shown = false
  private static let terminal = isatty(STDERR_FILENO) == 1
  /// Nanoseconds before the first line: a second, or `DESCENT_PROGRESS_AFTER` seconds (tests).
  private static let delay = UInt64(
    (Double(ProcessInfo.processInfo.environment["DESCENT_PROGRESS_AFTER"] ?? "") ?? 1) * 1e9)

  init(what: String, total: Int) {
    self.what = what
    self.total = total
  }

  /// Reports that `done` of `total` steps are done.
  mutating func show(_ done: Int) {
    let now = DispatchTime.now().uptimeNanoseconds
    guard now - start >= Self.delay, now - lastShown >= (Self.terminal ? 100_000_000 : 5_000_000_000) else {
      return
    }
    lastShown = now
    shown = true
    let seconds = Double(now - start) / 1e9
    let line = "\(what): \(done) of \(total) (\(String(format: "%.0f", seconds)) s)"
    write(Self.terminal ? "\r\(line)\u{1B}[K" : "\(line)\n")
  }

  /// Clears the line on a terminal, once the work is done.
  func finish() {
    if shown && Self.terminal { write("\r\u{1B}[K") }
  }

  private func write(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}
