import Foundation
import NIOConcurrencyHelpers

/// The teacher's view: one line per connection on standard output, and appended to `--log FILE`.
final class ConnectionLog: Sendable {
  private let file: NIOLockedValueBox<FileHandle?>

  init(path: String?) throws {
    guard let path else {
      file = NIOLockedValueBox(nil)
      return
    }
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw ServeError("cannot open --log \(path): \(String(cString: strerror(errno)))") }
    file = NIOLockedValueBox(FileHandle(fileDescriptor: fd, closeOnDealloc: true))
  }

  /// Writes a line as it is (server messages).
  func say(_ line: String) {
    let data = Data((line + "\n").utf8)
    file.withLockedValue { file in
      FileHandle.standardOutput.write(data)
      file?.write(data)
    }
  }

  /// The line of a finished connection: address, user name given, start, end, exit status, and
  /// anything refused or ended by the server.
  func record(_ connection: Connection, end: Date = Date()) {
    let state = connection.snapshot
    let user = state.user.map { $0.isEmpty ? "-" : Self.printable($0.filter { !$0.isWhitespace }, limit: 64) } ?? "-"
    var line =
      "\(Self.time(connection.start)) → \(Self.time(end))  \(connection.address)  user \(user)  exit \(state.exitStatus.map(String.init) ?? "-")"
    var notes = state.notes
    if !state.authenticated {
      notes.insert(state.failedLogins > 0 ? "login failed (\(state.failedLogins) attempts)" : "not logged in", at: 0)
    } else if state.failedLogins > 0 {
      notes.insert("\(state.failedLogins) failed login attempts first", at: 0)
    }
    if !notes.isEmpty { line += "  (" + notes.map { Self.printable($0, limit: 200) }.joined(separator: "; ") + ")" }
    say(line)
  }

  /// Client text (a user name, a refused command) made safe for the teacher's terminal: control
  /// characters (an escape sequence could redraw it) become `?`, and it is cut at `limit`.
  static func printable(_ text: String, limit: Int) -> String {
    let scalars = text.unicodeScalars.prefix(limit).map { scalar -> Character in
      scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
        ? "?" : Character(scalar)
    }
    return String(scalars) + (text.unicodeScalars.count > limit ? "…" : "")
  }

  static func time(_ date: Date) -> String {
    date.formatted(.iso8601)
  }
}
