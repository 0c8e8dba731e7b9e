import Foundation

/// OpenSSH's key formats for Ed25519 (PROTOCOL.key in OpenSSH's sources): the public key blob,
/// the one-line public key, and the unencrypted `openssh-key-v1` private key file.
enum OpenSSHKeyFile {
  static let keyType = "ssh-ed25519"
  static let magic = Array("openssh-key-v1".utf8) + [0]
  static let begin = "-----BEGIN OPENSSH PRIVATE KEY-----"
  static let end = "-----END OPENSSH PRIVATE KEY-----"

  /// `string "ssh-ed25519", string key`.
  static func publicBlob(_ publicKey: Data) -> Data {
    var blob = Data()
    blob.appendString(Data(keyType.utf8))
    blob.appendString(publicKey)
    return blob
  }

  /// `ssh-ed25519 AAAA... comment`, as in a `.pub` or `authorized_keys` file.
  static func publicLine(_ publicKey: Data, comment: String) -> String {
    "\(keyType) \(publicBlob(publicKey).base64EncodedString()) \(comment)"
  }

  static func encode(seed: Data, publicKey: Data, comment: String) -> String {
    let check = UInt32.random(in: 0...UInt32.max)
    var secret = Data()
    secret.appendInteger(check)
    secret.appendInteger(check)
    secret.appendString(Data(keyType.utf8))
    secret.appendString(publicKey)
    secret.appendString(seed + publicKey)
    secret.appendString(Data(comment.utf8))
    var pad: UInt8 = 1
    while secret.count % 8 != 0 {
      secret.append(pad)
      pad += 1
    }
    var file = Data(magic)
    file.appendString(Data("none".utf8))  // cipher
    file.appendString(Data("none".utf8))  // key derivation
    file.appendString(Data())  // its options
    file.appendInteger(UInt32(1))
    file.appendString(publicBlob(publicKey))
    file.appendString(secret)
    let base64 = file.base64EncodedString()
    var lines = [begin]
    var rest = Substring(base64)
    while !rest.isEmpty {
      lines.append(String(rest.prefix(70)))
      rest = rest.dropFirst(70)
    }
    lines.append(end)
    return lines.joined(separator: "\n") + "\n"
  }

  /// The 32-byte seed of an unencrypted Ed25519 key file, or nil if `text` is not one.
  static func ed25519Seed(from text: String) -> Data? {
    let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
    guard let first = lines.firstIndex(of: begin), let last = lines.firstIndex(of: end), first < last,
      let file = Data(base64Encoded: lines[(first + 1)..<last].joined())
    else { return nil }
    var reader = Reader(file)
    guard reader.bytes(magic.count) == Data(magic), reader.string() == Data("none".utf8),
      reader.string() == Data("none".utf8), reader.string() != nil, reader.integer() == 1,
      reader.string() != nil, let secretData = reader.string()
    else { return nil }
    var secret = Reader(secretData)
    guard let check1 = secret.integer(), check1 == secret.integer(), secret.string() == Data(keyType.utf8),
      let publicKey = secret.string(), publicKey.count == 32, let pair = secret.string(), pair.count == 64,
      pair.suffix(32) == publicKey
    else { return nil }
    return Data(pair.prefix(32))
  }

  /// Reads SSH wire values (big-endian lengths) and never reads past the end.
  struct Reader {
    private var data: Data
    init(_ data: Data) { self.data = Data(data) }

    mutating func bytes(_ count: Int) -> Data? {
      guard count >= 0, data.count >= count else { return nil }
      let value = data.prefix(count)
      data = data.dropFirst(count)
      return Data(value)
    }

    mutating func integer() -> UInt32? {
      bytes(4).map { $0.reduce(0) { $0 << 8 | UInt32($1) } }
    }

    mutating func string() -> Data? {
      integer().flatMap { bytes(Int($0)) }
    }
  }
}

extension Data {
  mutating func appendInteger(_ value: UInt32) {
    append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)])
  }

  mutating func appendString(_ value: Data) {
    appendInteger(UInt32(value.count))
    append(value)
  }
}
