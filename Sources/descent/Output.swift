import DescentCore
import Foundation

/// Standard output, checked: a write that fails is noticed at once instead of being lost.
///
/// A full disk or a broken device is an error (exit 1, one line). A reader that went away (`| head`)
/// is not: printing stops and the run goes on, so the files it was asked to write are written.
enum Output {
  /// Set once the reader of standard output has gone away: nothing more is printed.
  nonisolated(unsafe) static var readerGone = false
  /// Lines not yet written: a terminal gets each line at once, a file or pipe 64 KB at a time.
  nonisolated(unsafe) private static var pending: [UInt8] = []
  private static let interactive = isatty(STDOUT_FILENO) == 1

  /// Prints a line; throws if standard output cannot take it.
  static func line(_ text: String) throws {
    guard !readerGone else { return }
    pending.append(contentsOf: text.utf8)
    pending.append(10)
    if interactive || pending.count >= 1 << 16 { try flush() }
  }

  /// Writes what is pending, and what `print` left in the C library's buffer; throws if any of it
  /// could not be written.
  static func finish() throws {
    try flush()
    guard !readerGone else { return }
    errno = 0
    if fflush(nil) != 0 { try failed(errno) }
  }

  private static func flush() throws {
    var offset = 0
    defer { pending.removeAll(keepingCapacity: true) }
    while offset < pending.count && !readerGone {
      let n = pending.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { return try failed(n < 0 ? errno : EIO) }
      offset += n
    }
  }

  private static func failed(_ code: Int32) throws {
    if code == EPIPE {
      readerGone = true
      return
    }
    throw InputError("standard output could not be written (\(String(cString: strerror(code))))")
  }
}
