import Foundation
import Glibc
import Testing

/// `descent serve`'s start, host key and timeouts.
@Suite("descent serve: start, host key, timeouts", .ownThreads, .enabled(if: ServeHarness.sshAvailable))
struct ServeCommandTests {
  @Test func refusesToStartUntilToldWhoMayLogIn() throws {
    let none = try CLI.run(["serve", "--port", "0"])
    #expect(none.status == 64)
    #expect(
      none.stderr
        == "descent: say who may log in: --password-file FILE, --authorized-keys FILE, or --open (anyone who can reach the port)\n"
    )
    let both = try CLI.run(["serve", "--open", "--password-file", "pw"])
    #expect(both.status == 64)
    #expect(both.stderr.contains("--open lets anyone in"))
    let missing = try CLI.run(["serve", "--password-file", "/nonexistent/pw", "--port", "0"])
    #expect(missing.status == 1)
    #expect(missing.stderr.hasPrefix("descent: cannot read --password-file /nonexistent/pw"))
    #expect(missing.stderr.split(separator: "\n").count == 1)
  }

  @Test func theHostKeyIsKeptPrivateAndItsFingerprintIsTheOneClientsSee() throws {
    let data = CLI.temporaryFolder()
    let first = try ServeHarness(["--open"], dataHome: data)
    let printed = try #require(
      first.output.firstMatch(of: /host key: (SHA256:[A-Za-z0-9+\/]{43}) \(ED25519\), new, in (\S+)/))
    let path = String(printed.2)
    #expect(path == data + "/descent/ssh_host_ed25519_key")
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    let keygen = try Launch.run(["/usr/bin/ssh-keygen", "-lf", path])
    #expect(keygen.output.contains(" \(printed.1) descent serve (ED25519)"))
    let scanned = try Launch.run([
      "/bin/sh", "-c", "ssh-keyscan -t ed25519 -p \(first.port) 127.0.0.1 2>/dev/null | ssh-keygen -lf -",
    ])
    #expect(scanned.output.contains(" \(printed.1) "), "ssh-keyscan saw: \(scanned.output)")
    #expect(first.stop() == 0)
    let second = try ServeHarness(["--open"], dataHome: data)
    #expect(second.output.contains("host key: \(printed.1) (ED25519), in \(path)"))
    #expect(second.stop() == 0)
  }

  @Test func aClientThatDoesNotLogInIsDisconnected() throws {
    let server = try ServeHarness(["--open", "--login-timeout", "1"])
    let fd = try #require(ServeFuzzTests.connect(server.port))
    defer { close(fd) }
    #expect(ServeFuzzTests.versionLine(fd).hasPrefix("SSH-2.0-"))
    let start = Date()
    var sink = [UInt8](repeating: 0, count: 4096)
    while read(fd, &sink, sink.count) > 0 && Date().timeIntervalSince(start) < 20 {}
    #expect(Date().timeIntervalSince(start) < 15)
    #expect(server.logLine(containing: "login timed out after 1 s") != nil)
  }

  @Test(.enabled(if: Tmux.available))
  func anIdleSessionIsClosed() throws {
    let server = try ServeHarness(["--open", "--idle-timeout", "0.05"])
    let tmux = try Tmux(width: 80, height: 24)
    tmux.type(server.sshLine(["-o", "BatchMode=yes", "-t"]) + "; echo EXIT=$?")
    #expect(tmux.waitFor("a session", timeout: 60) { Status($0) != nil } != nil)
    let children = server.children
    // The dashboard is hung up on before the connection closes: the student gets their terminal
    // back and a line saying why.
    let end = tmux.waitForExitStatus("the idle session's end")
    #expect(end?.contains("descent serve: closed after 3 s without input") == true)
    #expect(end?.contains("EXIT=129") == true)
    #expect(tmux.terminalModes() == "alternate 0 mouse 0 cursor 1")
    #expect(children.allSatisfy { !Proc.alive($0) })
    #expect(server.logLine(containing: "closed after 3 s without input") != nil)
  }

  @Test(.enabled(if: Tmux.available))
  func eachSessionsSpeedIsCapped() throws {
    let server = try ServeHarness(["--open", "--max-speed", "50"])
    let tmux = try Tmux(width: 80, height: 24)
    tmux.type(
      server.sshLine(["-o", "BatchMode=yes", "-t"], command: ["watch", "--speed", "100000"]) + "; echo EXIT=$?")
    let screen = tmux.waitFor("a capped session", timeout: 60) { Status($0).map { $0.iteration > 0 } ?? false }
    #expect(screen?.contains("speed") == true)
    #expect(screen?.split(separator: "\n").contains { $0.contains("speed") && $0.contains("50/s") } == true)
    tmux.press("+")
    tmux.press("+")
    usleep(500_000)
    #expect(tmux.capture().split(separator: "\n").contains { $0.contains("speed") && $0.contains("50/s") })
    tmux.press("q")
    #expect(tmux.waitFor("the exit status", timeout: 30) { $0.contains("EXIT=0") } != nil)
  }
}
