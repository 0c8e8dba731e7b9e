import Foundation
import Synchronization

/// The teacher's view: one line per connection on standard output, and appended to `--log FILE`.
final class ConnectionLog: Sendable {
  private let file: Mutex<FileHandle?>

  init(path: String?) throws {
    guard let path else {
      file = Mutex(nil)
      return
    }
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw ServeError("cannot open --log \(path): \(String(cString: strerror(errno)))") }
    file = Mutex(FileHandle(fileDescriptor: fd, closeOnDealloc: true))
  }

  /// Writes a line as it is (server messages).
  func say(_ line: String) {
    let data = Data((line + "\n").utf8)
    file.withLock { file in
      FileHandle.standardOutput.write(data)
      file?.write(data)
    }
  }

  /// The line of a finished connection: address, user name given, start, end, exit status, and
  /// anything refused or ended by the server.
  func record(_ connection: Connection, end: Date = Date()) {
    let state = connection.snapshot
    let user = state.user.map { $0.isEmpty ? "-" : $0.filter { !$0.isWhitespace && !$0.isNewline } } ?? "-"
    var line =
      "\(Self.time(connection.start)) → \(Self.time(end))  \(connection.address)  user \(user)  exit \(state.exitStatus.map(String.init) ?? "-")"
    var notes = state.notes
    if !state.authenticated {
      notes.insert(state.failedLogins > 0 ? "login failed (\(state.failedLogins) attempts)" : "not logged in", at: 0)
    } else if state.failedLogins > 0 {
      notes.insert("\(state.failedLogins) failed login attempts first", at: 0)
    }
    if !notes.isEmpty { line += "  (" + notes.joined(separator: "; ") + ")" }
    say(line)
  }

  static func time(_ date: Date) -> String {
    date.formatted(.iso8601)
  }
}
