import Foundation
import NIOSSH
import Testing

@testable import DescentServe

@Suite("what a client may ask to run")
struct DashboardRequestTests {
  @Test func splitsLikeAShellWithoutExpandingAnything() {
    #expect(DashboardRequest.split("") == [])
    #expect(DashboardRequest.split("  tour  ") == ["tour"])
    #expect(
      DashboardRequest.split("watch --title 'Lesson 3: the hidden layer'") == [
        "watch", "--title", "Lesson 3: the hidden layer",
      ])
    #expect(DashboardRequest.split(#"--title "a \"b\" c" x\ y"#) == ["--title", #"a "b" c"#, "x y"])
    #expect(DashboardRequest.split("echo $HOME; ls") == ["echo", "$HOME;", "ls"])
    #expect(DashboardRequest.split("--title 'open") == nil)
    #expect(DashboardRequest.split("trailing\\") == nil)
  }

  @Test func refusesFilesAndTheServersOwnOptions() throws {
    #expect(try DashboardRequest.arguments("").get() == [])
    #expect(try DashboardRequest.arguments("descent tour").get() == ["tour"])
    #expect(try DashboardRequest.arguments("watch --dataset spiral --theme projector").get().count == 5)
    #expect(try DashboardRequest.arguments("watch --title 'a/b'").get() == ["watch", "--title", "a/b"])
    for (command, words) in [
      ("watch --data points.csv", "--data is not available over SSH"),
      ("watch --data=points.csv", "--data is not available over SSH"),
      ("watch --init model.json", "--init is not available"),
      ("watch --stats-json s.json", "--stats-json is not available"),
      ("watch --max-speed 100000", "--max-speed is not available"),
      ("lesson post --record demo.toml", "--record is not available"),
      ("tour --served", "--served is not available"),
      ("lesson ../lessons/mine.toml", "files on the server are not available"),
      ("watch --theme ../../etc/x", "files on the server are not available"),
      ("watch --theme mine.toml", "--theme takes a built-in theme's name"),
      ("watch --theme=mine.toml", "--theme takes a built-in theme's name"),
      ("/bin/sh", "files on the server are not available"),
      ("watch --title 'unclosed", "unbalanced quotes"),
    ] {
      guard case .failure(let refusal) = DashboardRequest.arguments(command) else {
        Issue.record("\(command) was not refused")
        continue
      }
      #expect(refusal.message.contains(words), "\(command): \(refusal.message)")
    }
  }
}

@Suite("who may log in")
struct LoginTests {
  static let ed25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl student@laptop"

  @Test func authorizedKeysTakesEd25519AndSkipsRSAWithAWarning() throws {
    let text = """
      # the class
      \(Self.ed25519)

      ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 someone
      """
    let keys = try AuthorizedKeys(text: text, path: "keys")
    #expect(keys.keys.count == 1)
    #expect(
      keys.warnings == [
        "keys line 4: ssh-rsa keys are not accepted (only ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521); skipped"
      ])
    #expect(keys.keys.contains(try NIOSSHPublicKey(openSSHPublicKey: Self.ed25519)))
  }

  @Test func authorizedKeysRefusesOptionsBrokenKeysAndAnEmptyFile() throws {
    #expect(throws: ServeError.self) { try AuthorizedKeys(text: "from=\"10.0.0.1\" \(Self.ed25519)", path: "k") }
    #expect(throws: ServeError.self) { try AuthorizedKeys(text: "ssh-ed25519 AAAAnotakey", path: "k") }
    #expect(throws: ServeError.self) { try AuthorizedKeys(text: "# nobody\n", path: "k") }
    do {
      _ = try AuthorizedKeys(text: "from=\"10.0.0.1\" \(Self.ed25519)", path: "k")
    } catch {
      #expect("\(error)".contains("k line 1: expected a key type"))
    }
  }

  @Test func thePasswordMustMatchExactlyAndNoneIsNoAttempt() throws {
    let folder = NSTemporaryDirectory() + "descent-serve-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try "open sesame\nsecond line ignored\n".write(toFile: folder + "/pw", atomically: true, encoding: .utf8)
    chmod(folder + "/pw", 0o644)
    let (policy, warnings) = try LoginPolicy.load(passwordFile: folder + "/pw", authorizedKeys: nil)
    #expect(warnings.count == 1 && warnings[0].contains("can be read by others (mode 644)"))
    #expect(policy.accepts(.password(.init(password: "open sesame"))) == true)
    #expect(policy.accepts(.password(.init(password: "open sesame "))) == false)
    #expect(policy.accepts(.password(.init(password: "open"))) == false)
    #expect(policy.accepts(.none) == nil)
    #expect(policy.accepts(.publicKey(.init(publicKey: try NIOSSHPublicKey(openSSHPublicKey: Self.ed25519)))) == false)
    #expect(policy.methods == .password)
    #expect(LoginPolicy.open.accepts(.none) == true)
    try "\n".write(toFile: folder + "/empty", atomically: true, encoding: .utf8)
    #expect(throws: ServeError.self) { try LoginPolicy.load(passwordFile: folder + "/empty", authorizedKeys: nil) }
  }

  @Test func failuresAreDelayedMoreTheMoreAnAddressFails() {
    let failures = FailedLogins()
    let now = Date()
    #expect(failures.fail("10.0.0.1", now: now) == (0.5, 1))
    #expect(failures.fail("10.0.0.1", now: now) == (1, 2))
    #expect(failures.fail("10.0.0.1", now: now) == (2, 3))
    #expect(failures.fail("10.0.0.2", now: now) == (0.5, 1))
    for _ in 0..<10 { _ = failures.fail("10.0.0.1", now: now) }
    #expect(failures.fail("10.0.0.1", now: now).delay == 8)
    #expect(failures.fail("10.0.0.1", now: now.addingTimeInterval(601)) == (0.5, 1))
  }

  @Test func clientTextReachesTheLogWithoutControlCharacters() {
    #expect(ConnectionLog.printable("alice", limit: 64) == "alice")
    #expect(ConnectionLog.printable("\u{1b}[2Jbob\u{7}", limit: 64) == "?[2Jbob?")
    #expect(
      ConnectionLog.printable(String(repeating: "x", count: 300), limit: 200) == String(repeating: "x", count: 200)
        + "…")
  }

  @Test func limitsCountPerAddressAndInAll() {
    let limits = SessionLimits(maxSessions: 3, perAddress: 2)
    #expect(limits.admit("a") == .admitted)
    #expect(limits.admit("a") == .admitted)
    #expect(limits.admit("a") == .refused("too many sessions from a (at most 2 per address); close one and try again"))
    #expect(limits.admit("b") == .refused("the server is full (3 sessions); try again later"))
    limits.release("a")
    limits.release("a")
    limits.release("b")
    #expect(limits.admit("b") == .admitted)
    #expect(limits.admit("a") == .admitted)
  }
}

@Suite("the host key")
struct HostKeyTests {
  @Test func isMadeOnceKeptPrivateAndReadBack() throws {
    let folder = NSTemporaryDirectory() + "descent-serve-\(UUID().uuidString)/descent"
    let made = try HostKey.loadOrCreate(in: folder)
    #expect(made.isNew)
    let mode = try FileManager.default.attributesOfItem(atPath: made.path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    let again = try HostKey.loadOrCreate(in: folder)
    #expect(!again.isNew)
    #expect(again.fingerprint == made.fingerprint)
    #expect(made.fingerprint.hasPrefix("SHA256:") && made.fingerprint.count == 50)
    try "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n".write(
      toFile: made.path, atomically: true, encoding: .utf8)
    #expect(throws: ServeError.self) { try HostKey.loadOrCreate(in: folder) }
  }

  @Test func theKeyFileRoundTripsAndRejectsDamage() {
    let seed = Data((0..<32).map { UInt8($0) })
    let publicKey = Data((32..<64).map { UInt8($0) })
    let text = OpenSSHKeyFile.encode(seed: seed, publicKey: publicKey, comment: "c")
    #expect(OpenSSHKeyFile.ed25519Seed(from: text) == seed)
    #expect(text.split(separator: "\n").allSatisfy { $0.count <= 70 || $0.hasPrefix("-----") })
    var lines = text.split(separator: "\n").map(String.init)
    lines[2] = String(lines[2].reversed())
    #expect(OpenSSHKeyFile.ed25519Seed(from: lines.joined(separator: "\n")) == nil)
    #expect(OpenSSHKeyFile.ed25519Seed(from: String(text.prefix(100))) == nil)
    #expect(OpenSSHKeyFile.ed25519Seed(from: "") == nil)
  }
}
