import Foundation

/// Writes files so that a reader (or a crash) never sees half of one: the bytes go to a temporary
/// file in the same folder, are flushed to disk, and the temporary file is renamed over the target.
public enum AtomicFile {
  /// Writes `text` to `path`. With `replacing` false, an existing file is never touched: the
  /// new file appears under its name only if there was none (a hard link cannot clobber).
  public static func write(_ text: String, to path: String, replacing: Bool = true) throws {
    let target = URL(fileURLWithPath: path)
    let folder = target.deletingLastPathComponent().path
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
      throw InputError("\(path): the folder \(folder) does not exist")
    }
    let temporary = folder + "/." + target.lastPathComponent + ".tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw InputError("\(path): cannot write there (\(String(cString: strerror(errno))))") }
    var ok = true
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n <= 0 {
          if n < 0 && errno == EINTR { continue }
          ok = false
          break
        }
        offset += n
      }
    }
    ok = ok && fsync(fd) == 0
    let error = errno
    close(fd)
    if ok && !replacing {
      let linked = link(temporary, path) == 0
      let reason = errno
      unlink(temporary)
      guard linked else {
        if reason == EEXIST { throw InputError("\(path): already exists; choose another name or remove it first") }
        throw InputError("\(path): could not be written (\(String(cString: strerror(reason)))); nothing was changed")
      }
      return
    }
    guard ok, rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(ok ? errno : error))
      unlink(temporary)
      throw InputError("\(path): could not be written (\(reason)); nothing was changed")
    }
  }

  /// Reads a whole file as UTF-8 text, with a one-line error naming the file on failure.
  public static func readText(_ path: String, what: String) throws -> String {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
      throw InputError("\(path): no such file (expected \(what))")
    }
    guard !isFolder.boolValue else { throw InputError("\(path): is a folder, not \(what)") }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw InputError("\(path): cannot be read (check its permissions)")
    }
    guard !data.contains(0), let text = String(data: data, encoding: .utf8) else {
      throw InputError("\(path): is not a text file (expected \(what))")
    }
    return text
  }
}
