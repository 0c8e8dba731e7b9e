import Crypto
import Foundation
import NIOCore
import NIOSSH

/// Who may log in: anyone (`--open`), or whoever knows the password, or holds an authorized key.
public struct LoginPolicy: Sendable {
  var open = false
  var passwordDigest: SHA256.Digest?
  var keys: AuthorizedKeys?

  /// Anyone may log in, with any name and no password.
  public static let open = LoginPolicy(open: true)

  /// The password is the file's first line; `keysPath` an OpenSSH `authorized_keys` file. Either
  /// may be nil, not both. Also returns warnings for the server to print (skipped keys, a
  /// password file others can read).
  public static func load(passwordFile: String?, authorizedKeys keysPath: String?) throws -> (LoginPolicy, [String]) {
    var policy = LoginPolicy()
    var warnings: [String] = []
    if let passwordFile {
      let text: String
      do { text = try String(contentsOfFile: passwordFile, encoding: .utf8) } catch {
        throw ServeError("cannot read --password-file \(passwordFile): \(error.localizedDescription)")
      }
      let password =
        text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first
        .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) } ?? ""
      guard !password.isEmpty else {
        throw ServeError("--password-file \(passwordFile): the first line is empty; put the password there")
      }
      policy.passwordDigest = SHA256.hash(data: Data(password.utf8))
      if let mode = (try? FileManager.default.attributesOfItem(atPath: passwordFile))?[.posixPermissions] as? Int,
        mode & 0o077 != 0
      {
        warnings.append(
          "--password-file \(passwordFile) can be read by others (mode \(String(mode, radix: 8))); chmod 600 it")
      }
    }
    if let keysPath {
      let keys = try AuthorizedKeys(contentsOf: keysPath)
      policy.keys = keys
      warnings += keys.warnings
    }
    return (policy, warnings)
  }

  var methods: NIOSSHAvailableUserAuthenticationMethods {
    if open { return [.password, .publicKey] }
    var methods: NIOSSHAvailableUserAuthenticationMethods = []
    if passwordDigest != nil { methods.insert(.password) }
    if keys != nil { methods.insert(.publicKey) }
    return methods
  }

  /// Whether the request logs in; nil for a probe that is not an attempt (`none`).
  func accepts(_ request: NIOSSHUserAuthenticationRequest.Request) -> Bool? {
    if open { return true }
    switch request {
    case .none:
      return nil
    case .password(let password):
      guard let passwordDigest else { return false }
      // Digests compared in full, so the time taken says nothing about the password.
      let given = SHA256.hash(data: Data(password.password.utf8))
      return zip(given, passwordDigest).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    case .publicKey(let key):
      return keys?.keys.contains(key.publicKey) ?? false
    case .hostBased:
      return false
    }
  }
}

/// One connection's authentication: decides each attempt by the policy, and answers a failed
/// one only after the address's delay.
final class LoginGate: NIOSSHServerUserAuthenticationDelegate, Sendable {
  let policy: LoginPolicy
  let connection: Connection
  let failures: FailedLogins

  init(policy: LoginPolicy, connection: Connection, failures: FailedLogins) {
    self.policy = policy
    self.connection = connection
    self.failures = failures
  }

  var supportedAuthenticationMethods: NIOSSHAvailableUserAuthenticationMethods { policy.methods }

  func requestReceived(
    request: NIOSSHUserAuthenticationRequest, responsePromise: EventLoopPromise<NIOSSHUserAuthenticationOutcome>
  ) {
    connection.update { $0.user = String(request.username.prefix(64)) }
    guard let accepted = policy.accepts(request.request) else {
      responsePromise.succeed(.failure)
      return
    }
    if accepted {
      connection.update { $0.authenticated = true }
      responsePromise.succeed(.success)
      return
    }
    let (delay, _) = failures.fail(connection.address)
    connection.update { $0.failedLogins += 1 }
    responsePromise.futureResult.eventLoop.scheduleTask(in: .milliseconds(Int64(delay * 1000))) {
      responsePromise.succeed(.failure)
    }
  }
}
