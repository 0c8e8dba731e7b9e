import Crypto
import Foundation
import NIOSSH

/// The server's Ed25519 host key: made on first run, kept (mode 0600) in OpenSSH's private key
/// format, so `ssh-keygen -lf` reads it and prints the same fingerprint as the server.
public struct HostKey: Sendable {
  let key: Curve25519.Signing.PrivateKey
  /// Where it is kept.
  public let path: String
  /// Whether this run made it.
  public let isNew: Bool

  var sshKey: NIOSSHPrivateKey { NIOSSHPrivateKey(ed25519Key: key) }

  /// `$XDG_DATA_HOME/descent`, or `~/.local/share/descent`.
  public static func defaultFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/descent" }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    return home + "/.local/share/descent"
  }

  /// Reads the key in `folder`, or makes one there (and the folder, mode 0700) if there is none.
  public static func loadOrCreate(in folder: String) throws -> HostKey {
    let path = folder + "/ssh_host_ed25519_key"
    if FileManager.default.fileExists(atPath: path) {
      let text: String
      do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
        throw ServeError("cannot read the host key \(path): \(error.localizedDescription)")
      }
      guard let seed = OpenSSHKeyFile.ed25519Seed(from: text),
        let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)
      else {
        throw ServeError(
          "\(path) is not an unencrypted OpenSSH Ed25519 private key; move it away and a new one is made")
      }
      return HostKey(key: key, path: path, isNew: false)
    }
    let key = Curve25519.Signing.PrivateKey()
    do {
      try FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw ServeError("cannot make the folder \(folder) for the host key: \(error.localizedDescription)")
    }
    let text = OpenSSHKeyFile.encode(
      seed: key.rawRepresentation, publicKey: key.publicKey.rawRepresentation, comment: "descent serve")
    // Created 0600 and exclusively: the secret is never readable by others, even for a moment.
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw ServeError("cannot write the host key \(path): \(String(cString: strerror(errno)))") }
    let bytes = Array(text.utf8)
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    let synced = fsync(fd)
    close(fd)
    guard written == bytes.count, synced == 0 else {
      unlink(path)
      throw ServeError("cannot write the host key \(path): \(String(cString: strerror(errno)))")
    }
    let publicLine = OpenSSHKeyFile.publicLine(key.publicKey.rawRepresentation, comment: "descent serve")
    try? (publicLine + "\n").write(toFile: path + ".pub", atomically: true, encoding: .utf8)
    return HostKey(key: key, path: path, isNew: true)
  }

  /// `SHA256:` and the unpadded base64 of the SHA-256 of the public key blob, as `ssh-keygen -l`
  /// and the ssh client show it.
  public var fingerprint: String {
    let blob = OpenSSHKeyFile.publicBlob(key.publicKey.rawRepresentation)
    let digest = Data(SHA256.hash(data: blob)).base64EncodedString()
    return "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
  }
}
