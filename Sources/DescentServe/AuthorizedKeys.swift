import Foundation
import NIOSSH

/// The public keys of an OpenSSH `authorized_keys` file that may log in: Ed25519 and ECDSA
/// (nistp256, nistp384, nistp521), the key types swift-nio-ssh verifies. RSA and DSA lines are
/// skipped with a warning; a line with key options (`from=`, `command=`, ...) is an error, since
/// the server could not honour the restriction it states.
struct AuthorizedKeys: Sendable {
  static let acceptedTypes = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"]
  static let skippedTypes = ["ssh-rsa", "ssh-dss", "rsa-sha2-256", "rsa-sha2-512"]

  var keys: Set<NIOSSHPublicKey>
  /// One line per skipped key, for the server to print at start.
  var warnings: [String]

  init(contentsOf path: String) throws {
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
      throw ServeError("cannot read --authorized-keys \(path): \(error.localizedDescription)")
    }
    try self.init(text: text, path: path)
  }

  init(text: String, path: String) throws {
    keys = []
    warnings = []
    for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = rawLine.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") { continue }
      let where_ = "\(path) line \(index + 1)"
      let type = line.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
      if Self.skippedTypes.contains(type) || type.hasPrefix("sk-") {
        warnings.append(
          "\(where_): \(type) keys are not accepted (only \(Self.acceptedTypes.joined(separator: ", "))); skipped")
        continue
      }
      guard Self.acceptedTypes.contains(type) else {
        throw ServeError(
          "\(where_): expected a key type (\(Self.acceptedTypes.joined(separator: ", "))) at the start;"
            + " key options such as from= or command= are not supported")
      }
      do {
        keys.insert(try NIOSSHPublicKey(openSSHPublicKey: line))
      } catch {
        throw ServeError("\(where_): not a valid \(type) public key")
      }
    }
    guard !keys.isEmpty else {
      throw ServeError(
        "--authorized-keys \(path) holds no usable key (accepted: \(Self.acceptedTypes.joined(separator: ", ")))")
    }
  }
}
