import Foundation

/// Writes files so that a reader (or a crash) never sees half of one: the bytes go to a temporary
/// file in the target's folder, are flushed to disk, and the temporary file is renamed over the
/// target. A symbolic link is written through: the file it points to is replaced, in that file's
/// folder, and the link stays. A device, FIFO or socket (`/dev/null`, `/dev/stdout`, a named
/// pipe) cannot be renamed over, so it is written to directly.
public enum AtomicFile {
  /// Writes `text` to `path`. With `replacing` false, an existing file is never touched: the
  /// new file appears under its name only if there was none (a hard link cannot clobber).
  public static func write(_ text: String, to path: String, replacing: Bool = true) throws {
    let writer = try Writer(path, replacing: replacing)
    do {
      try writer.append(text)
      try writer.commit()
    } catch {
      writer.discard()
      throw error
    }
  }

  /// Checks, before any work starts, that `path` can be written: its folder exists and takes
  /// files, it is not a folder, and (with `replacing` false) nothing is there yet. `option` names
  /// where the path came from in the message (`--save`).
  public static func checkWritable(_ path: String, option: String, replacing: Bool = true) throws {
    _ = try Destination(path, option: option, replacing: replacing)
  }

  /// Reads a whole file as UTF-8 text, with a one-line error naming the file on failure.
  public static func readText(_ path: String, what: String, limit: Int) throws -> String {
    let bytes = try readTextBytes(path, what: what, limit: limit)
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw InputError("\(path): is not a text file (expected \(what))")
    }
    return text
  }

  /// The bytes of a text file, a pipe or a device, read in chunks: refused as soon as a NUL byte
  /// shows it is not text (`/dev/zero`) or it passes `limit` bytes (a regular file's size is
  /// checked before reading).
  public static func readTextBytes(_ path: String, what: String, limit: Int) throws -> [UInt8] {
    let chunks = try TextChunks(path, what: what, limit: limit)
    var bytes: [UInt8] = []
    if let size = chunks.size { bytes.reserveCapacity(size) }
    while let chunk = try chunks.next() { bytes.append(contentsOf: chunk) }
    return bytes
  }

  /// A text file, pipe or device read a chunk at a time, for readers that never hold the whole
  /// file: each chunk is checked (no NUL byte, no more than `limit` bytes so far) as it arrives.
  public final class TextChunks {
    private let path: String
    private let what: String
    private let limit: Int
    private let fd: Int32
    private var total = 0
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    /// A regular file's size, known before reading.
    public let size: Int?

    /// Opens `path`; fails with one line if it is missing, a folder, larger than `limit` bytes
    /// or unreadable.
    public init(_ path: String, what: String, limit: Int) throws {
      self.path = path
      self.what = what
      self.limit = limit
      var info = stat()
      guard stat(path, &info) == 0 else {
        if errno == ENOENT { throw InputError("\(path): no such file (expected \(what))") }
        throw InputError("\(path): cannot be read (\(String(cString: strerror(errno))))")
      }
      if info.st_mode & S_IFMT == S_IFDIR { throw InputError("\(path): is a folder, not \(what)") }
      let regular = info.st_mode & S_IFMT == S_IFREG
      size = regular ? Int(info.st_size) : nil
      if let size, size > limit { throw Self.tooLarge(path, what, limit) }
      fd = open(path, O_RDONLY | O_CLOEXEC)
      guard fd >= 0 else { throw InputError("\(path): cannot be read (\(String(cString: strerror(errno))))") }
    }

    deinit { close(fd) }

    private static func tooLarge(_ path: String, _ what: String, _ limit: Int) -> InputError {
      let megabytes = "\(limit >> 20) MB"
      return InputError("\(path): is larger than \(megabytes); at most \(megabytes) of \(what) are read")
    }

    /// The next chunk of bytes, or nil at the end of the file.
    public func next() throws -> ArraySlice<UInt8>? {
      while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n >= 0 else { throw InputError("\(path): cannot be read (\(String(cString: strerror(errno))))") }
        if n == 0 { return nil }
        total += n
        guard total <= limit else { throw Self.tooLarge(path, what, limit) }
        guard !chunk[0..<n].contains(0) else { throw InputError("\(path): is not a text file (expected \(what))") }
        return chunk[0..<n]
      }
    }
  }

  /// A file being written: bytes are appended (to a temporary file, or straight to a device),
  /// then `commit` makes them the file's, or `discard` leaves everything as it was.
  public final class Writer {
    private let destination: Destination
    private var fd: Int32
    /// The temporary file, until it is renamed or removed; nil for a direct write.
    private var temporary: String?
    private var buffer: [UInt8] = []
    private var finished = false

    /// Opens the writer; fails with one line if `path` cannot be written.
    public init(_ path: String, replacing: Bool = true, option: String? = nil) throws {
      destination = try Destination(path, option: option, replacing: replacing)
      switch destination.kind {
      case .direct(let descriptor):
        temporary = nil
        if let descriptor {
          fd = descriptor
        } else {
          fd = open(destination.target, O_WRONLY | O_CLOEXEC)
          guard fd >= 0 else { throw destination.failure(errno) }
        }
      case .replace(let mode):
        let name = destination.folder + "/." + lastComponent(destination.target)
        var opened: (fd: Int32, path: String)?
        for attempt in 0..<100 {
          let candidate = name + ".tmp-\(getpid())-\(Writer.counter.next())" + (attempt == 0 ? "" : "-\(attempt)")
          // Registered before it exists: a signal between the open and the registration left the
          // file behind (SIGINT did, under load).
          TemporaryFiles.register(candidate)
          let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
          if fd >= 0 {
            opened = (fd, candidate)
            break
          }
          let error = errno
          TemporaryFiles.unregister(candidate)
          guard error == EEXIST else { throw destination.failure(error) }
        }
        guard let opened else { throw destination.failure(EEXIST) }
        fd = opened.fd
        temporary = opened.path
      }
    }

    deinit { discard() }

    /// Adds text; written out in large pieces.
    public func append(_ text: String) throws {
      buffer.append(contentsOf: text.utf8)
      if buffer.count >= 1 << 16 { try flush() }
    }

    private func flush() throws {
      var offset = 0
      defer { buffer.removeFirst(offset) }
      while offset < buffer.count {
        let n = buffer.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { throw destination.failure(n < 0 ? errno : ENOSPC) }
        offset += n
      }
    }

    /// Writes what is left, flushes it to disk and puts the file in place.
    public func commit() throws {
      precondition(!finished, "a writer commits once")
      try flush()
      guard let temporary else {
        finished = true
        if case .direct(nil) = destination.kind { close(fd) }
        return
      }
      guard fsync(fd) == 0 else { throw destination.failure(errno) }
      close(fd)
      finished = true
      defer {
        unlink(temporary)
        TemporaryFiles.unregister(temporary)
        self.temporary = nil
      }
      if destination.replacing {
        guard rename(temporary, destination.target) == 0 else { throw destination.failure(errno) }
      } else {
        guard link(temporary, destination.target) == 0 else {
          if errno == EEXIST { throw destination.exists }
          throw destination.failure(errno)
        }
      }
    }

    /// Leaves the target as it was and removes the temporary file.
    public func discard() {
      guard !finished else { return }
      finished = true
      switch destination.kind {
      case .direct(let descriptor): if descriptor == nil { close(fd) }
      case .replace: close(fd)
      }
      if let temporary {
        unlink(temporary)
        TemporaryFiles.unregister(temporary)
        self.temporary = nil
      }
    }

    /// Makes temporary names unique within the process.
    private static let counter = Counter()
  }
}

/// Where a write goes, worked out from the path before anything is written.
private struct Destination {
  enum Kind {
    /// A regular file (or none yet): a temporary file with this mode, renamed over the target.
    case replace(mode: mode_t)
    /// A device, FIFO or socket, written in place; an already open descriptor for standard output.
    case direct(Int32?)
  }
  /// The path the user gave, for messages.
  let path: String
  /// The file to replace, with symbolic links followed.
  let target: String
  let folder: String
  let kind: Kind
  let replacing: Bool

  init(_ path: String, option: String?, replacing: Bool) throws {
    self.path = path
    self.replacing = replacing
    let label = option.map { "\($0): " } ?? ""
    guard !path.isEmpty else { throw InputError("\(label)the file name is empty; expected a path to write to") }
    if let descriptor = Destination.standardStream(path) {
      (target, folder, kind) = (path, "/", .direct(descriptor))
      return
    }
    let resolved = try Destination.followLinks(path)
    target = resolved
    folder = folderOf(resolved)
    var info = stat()
    if lstat(resolved, &info) == 0 {
      switch info.st_mode & S_IFMT {
      case S_IFDIR:
        throw InputError("\(path): is a folder; expected a file name")
      case S_IFREG:
        guard replacing else { throw InputError("\(path): already exists; choose another name or remove it first") }
        kind = .replace(mode: info.st_mode & 0o777)
      default:
        guard access(resolved, W_OK) == 0 else { throw InputError("\(path): cannot be written (\(reason(errno)))") }
        kind = .direct(nil)
        return
      }
    } else {
      kind = .replace(mode: 0o644)
    }
    var folderInfo = stat()
    guard stat(folder, &folderInfo) == 0, folderInfo.st_mode & S_IFMT == S_IFDIR else {
      throw InputError("\(path): the folder \(folder) does not exist")
    }
    guard access(folder, W_OK | X_OK) == 0 else {
      throw InputError("\(path): cannot write in the folder \(folder) (\(reason(errno)))")
    }
  }

  /// `/dev/stdout`, `/dev/fd/1` and `/proc/self/fd/1` are the process's own descriptors: written
  /// to as they are, never reopened (reopening a redirected file would write from its start).
  static func standardStream(_ path: String) -> Int32? {
    switch path {
    case "/dev/stdout": return STDOUT_FILENO
    case "/dev/stderr": return STDERR_FILENO
    default:
      for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
        if let n = Int32(path.dropFirst(prefix.count)), fcntl(n, F_GETFD) >= 0 { return n }
      }
      return nil
    }
  }

  /// The path a chain of symbolic links ends at (which need not exist yet).
  static func followLinks(_ path: String) throws -> String {
    var current = path
    for _ in 0..<40 {
      var info = stat()
      guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
      var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let n = readlink(current, &buffer, buffer.count - 1)
      guard n > 0 else { return current }
      let link = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      current = link.hasPrefix("/") ? link : folderOf(current) + "/" + link
    }
    throw InputError("\(path): too many levels of symbolic links")
  }

  func failure(_ code: Int32) -> InputError {
    guard case .replace = kind else { return InputError("\(path): could not be written (\(reason(code)))") }
    return InputError("\(path): could not be written (\(reason(code))); nothing was changed")
  }

  var exists: InputError { InputError("\(path): already exists; choose another name or remove it first") }
}

private func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

/// The folder part of a path: `.` for a bare name, `/` for a name at the root.
private func folderOf(_ path: String) -> String {
  var path = Substring(path)
  while path.count > 1 && path.hasSuffix("/") { path = path.dropLast() }
  guard let slash = path.lastIndex(of: "/") else { return "." }
  return slash == path.startIndex ? "/" : String(path[..<slash])
}

/// The last part of a path.
private func lastComponent(_ path: String) -> String {
  path.split(separator: "/").last.map(String.init) ?? path
}

/// A thread-safe counter.
private final class Counter: @unchecked Sendable {
  private var value = 0
  private let lock = NSLock()
  func next() -> Int {
    lock.withLock {
      value += 1; return value
    }
  }
}
