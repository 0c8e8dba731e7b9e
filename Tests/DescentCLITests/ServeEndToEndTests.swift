import Foundation
import Glibc
import Testing

/// `descent serve` with the real OpenSSH client, the sessions driven through tmux.
@Suite(
  "descent serve, through the OpenSSH client", .ownThreads, .serialized,
  .enabled(if: Tmux.available && ServeHarness.sshAvailable))
struct ServeEndToEndTests {
  /// The width of the panels' bottom border: the dashboard fills the terminal it is given.
  static func statusWidth(_ screen: String) -> Int? {
    screen.split(separator: "\n").last(where: { $0.hasPrefix("╰") && $0.hasSuffix("╯") })?.count
  }

  @Test(.enabled(if: ServeHarness.sshpassAvailable))
  func passwordLoginShowsTheDashboardFollowsResizesAndQuits() throws {
    let folder = CLI.temporaryFolder()
    try "open sesame\n".write(toFile: folder + "/password", atomically: true, encoding: .utf8)
    chmod(folder + "/password", 0o600)
    let server = try ServeHarness(["--password-file", folder + "/password", "--log", folder + "/serve.log"])
    let tmux = try Tmux(width: 80, height: 24)
    tmux.type(
      server.sshLine(
        ["-o", "PubkeyAuthentication=no", "-l", "alice"], prefix: ["/usr/bin/sshpass", "-f", folder + "/password"])
        + "; echo EXIT=$?")
    let first = tmux.waitFor("the dashboard over SSH", timeout: 60) { Status($0).map { $0.iteration > 0 } ?? false }
    #expect(first.flatMap(Self.statusWidth) == 80)
    #expect(first?.contains("moons · 200 pts") == true)
    tmux.resize(120, 40)
    let wide = tmux.waitFor("the dashboard at 120x40", timeout: 30) { Self.statusWidth($0) == 120 }
    #expect(wide?.split(separator: "\n").count ?? 0 >= 39)
    tmux.resize(80, 24)
    #expect(tmux.waitFor("the dashboard back at 80x24", timeout: 30) { Self.statusWidth($0) == 80 } != nil)
    tmux.press("q")
    #expect(tmux.waitFor("the exit status", timeout: 30) { $0.contains("EXIT=0") } != nil)
    let line = server.logLine(containing: "user alice")
    #expect(line?.contains("127.0.0.1") == true)
    #expect(line?.hasSuffix("exit 0") == true)
    let logged = (try? String(contentsOfFile: folder + "/serve.log", encoding: .utf8)) ?? ""
    #expect(logged.contains("user alice  exit 0"))
    #expect(server.stop() == 0)
  }

  @Test func keyLoginShowsTheDashboardAndOtherKeysAreRefused() throws {
    let folder = CLI.temporaryFolder()
    for name in ["student", "stranger"] {
      let made = try Launch.run(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", folder + "/" + name])
      try #require(made.status == 0, "ssh-keygen: \(made.output)")
    }
    let server = try ServeHarness(["--authorized-keys", folder + "/student.pub"])
    let keyOptions = ["-o", "IdentitiesOnly=yes", "-o", "PasswordAuthentication=no", "-o", "BatchMode=yes"]
    let stranger = try Launch.run(server.ssh(keyOptions + ["-i", folder + "/stranger", "-tt"]))
    #expect(stranger.status == 255)
    #expect(stranger.output.contains("Permission denied (publickey)"))

    let tmux = try Tmux(width: 80, height: 24)
    tmux.type(server.sshLine(keyOptions + ["-i", folder + "/student", "-t"], command: ["tour"]) + "; echo EXIT=$?")
    #expect(tmux.waitFor("the tour over SSH", timeout: 60) { $0.contains("The data") && Status($0) != nil } != nil)
    tmux.press("q")
    #expect(tmux.waitFor("the exit status", timeout: 30) { $0.contains("EXIT=0") } != nil)
    #expect(server.logLine(containing: "exit 0") != nil)
    #expect(server.logLine(containing: "login failed")?.contains("login failed (1 attempts)") == true)
  }

  @Test func aLessonByNameRunsAndRecordingWritesNothingOnTheServer() throws {
    let config = CLI.temporaryFolder()
    let sessions = CLI.temporaryFolder()
    try FileManager.default.createDirectory(atPath: config + "/descent/lessons", withIntermediateDirectories: true)
    try """
    title = "The teacher's lesson"
    [[stage]]
    title = "Three hidden units on the server"
    caption = "A lesson from the server's folder, loss {loss}."
    """.write(toFile: config + "/descent/lessons/class.toml", atomically: true, encoding: .utf8)
    let server = try ServeHarness(["--open"], environment: ["XDG_CONFIG_HOME": config, "TMPDIR": sessions])
    let batch = ["-o", "BatchMode=yes"]
    for (name, expected) in [
      ("./class.toml", "files on the server are not available over SSH"),
      (
        "class.toml",
        "lesson 'class.toml': over SSH a lesson is given by name, one of post, questions, playground, class"
      ),
      ("nosuch", "lesson 'nosuch': over SSH a lesson is given by name"),
    ] {
      let refused = try Launch.run(server.ssh(batch + ["-tt"], command: ["lesson", name]))
      #expect(refused.status == 1, "lesson \(name)")
      #expect(refused.output.contains(expected), "lesson \(name): \(refused.output)")
    }
    let tmux = try Tmux(width: 80, height: 24)
    tmux.type(server.sshLine(batch + ["-t"], command: ["lesson", "class"]) + "; echo EXIT=$?")
    #expect(
      tmux.waitFor("the server's lesson over SSH", timeout: 60) {
        $0.contains("1/1 Three hidden units on the server") && Status($0).map { $0.iteration > 0 } ?? false
      } != nil)
    tmux.press("R")  // would start a recording; a second R would write it
    #expect(
      tmux.waitFor("the refusal to record", timeout: 30) {
        $0.contains("no recording over SSH: it would be written on the server")
      } != nil)
    tmux.press("R")
    usleep(500_000)
    // The session's working folder is the only place it could have written: nothing is there.
    let folders = (try? FileManager.default.contentsOfDirectory(atPath: sessions)) ?? []
    #expect(folders.count == 1)
    for folder in folders {
      #expect(
        (try? FileManager.default.contentsOfDirectory(atPath: sessions + "/" + folder)) == [], "\(tmux.capture())")
    }
    tmux.press("q")
    #expect(tmux.waitFor("the exit status", timeout: 30) { $0.contains("EXIT=0") } != nil)
    let shipped = try Launch.run(server.ssh(batch + ["-tt"], command: ["lesson", "questions", "--exit-after", "1"]))
    #expect(shipped.status == 0, "\(shipped.output)")
    #expect(server.stop() == 0)
  }

  @Test func everythingButTheDashboardIsRefusedWithOneLine() throws {
    let server = try ServeHarness(["--open", "--per-address", "1"])
    let batch = ["-o", "BatchMode=yes"]
    let shell = try Launch.run(server.ssh(batch, command: ["sh"]))
    #expect(shell.status == 1)
    #expect(shell.output.contains("descent serve: 'sh' is not a dashboard command; only the dashboard runs here"))
    // How to connect, with the port the client reached (and the banner's limits without flags).
    #expect(shell.output.contains("ssh -t -p \(server.port) HOST [watch | tour | lesson NAME]"), "\(shell.output)")
    #expect(server.output.contains("dashboards get --max-speed 2000\n"), "\(server.output)")
    let other = try Launch.run(server.ssh(batch, command: ["train", "--passes", "10"]))
    #expect(other.status == 1)
    #expect(other.output.contains("'train --passes 10' is not a dashboard command"))
    // A negative number gets the option's range, as on the command line.
    let negative = try Launch.run(server.ssh(batch + ["-t"], command: ["watch", "--hidden", "-3"]))
    #expect(negative.status == 1)
    #expect(negative.output.contains("descent serve: --hidden must be from 1 to 1024; got -3"), "\(negative.output)")
    let file = try Launch.run(server.ssh(batch + ["-t"], command: ["watch", "--data", "/etc/passwd"]))
    #expect(file.status == 1)
    #expect(file.output.contains("--data is not available over SSH"))
    let sftp = try Launch.run(server.ssh(batch + ["-s"], command: ["sftp"]))
    #expect(sftp.status == 1)
    #expect(sftp.output.contains("descent serve: no subsystems here (sftp asked for)"))
    let noTerminal = try Launch.run(server.ssh(batch + ["-T"], command: ["tour"]))
    #expect(noTerminal.status == 1)
    #expect(noTerminal.output.contains("the dashboard needs a terminal: add -t (ssh -t -p \(server.port) HOST tour)"))
    // A terminal with no type, or one that is no terminfo name, is taken and then refused with why.
    let noType = try Launch.run(server.ssh(batch + ["-tt"], command: ["tour"], term: ""))
    #expect(noType.status == 1)
    #expect(noType.output.contains("descent serve: the client sent no terminal type (TERM is not set where ssh runs)"))
    let oddType = try Launch.run(server.ssh(batch + ["-tt"], command: ["tour"], term: "xterm;\u{1B}[2J"))
    #expect(oddType.status == 1)
    #expect(oddType.output.contains(#"the terminal type "xterm;\u{1B}[2J" is not a terminfo name"#))
    let long = String(repeating: "x", count: 100)
    let longType = try Launch.run(server.ssh(batch + ["-tt"], command: ["tour"], term: long))
    #expect(longType.status == 1)
    #expect(longType.output.contains("the terminal type \"\(long.prefix(64))\" is not a terminfo name"))
    // -W opens the direct-tcpip channel at once; -L when something connects to its port.
    let stdio = try Launch.run(server.ssh(batch + ["-W", "127.0.0.1:\(server.port)"]))
    #expect(stdio.status == 255)
    #expect(stdio.output.contains("stdio forwarding failed"))
    let local = try Self.localForwarding(server)
    #expect(local.contains("open failed"))
    let remote = try Launch.run(server.ssh(batch + ["-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:9"]))
    #expect(remote.status == 255)
    #expect(remote.output.contains("remote port forwarding failed"))
    #expect(server.logLine(containing: "refused: port forwarding to 127.0.0.1:\(server.port)") != nil)

    // One session per address: a second is told so while the first runs.
    let tmux = try Tmux(width: 80, height: 24)
    tmux.type(server.sshLine(batch + ["-t"]) + "; echo EXIT=$?")
    _ = tmux.waitFor("the first session", timeout: 60) { Status($0) != nil }
    let second = try Launch.run(server.ssh(batch + ["-tt"]))
    #expect(second.status == 1)
    #expect(second.output.contains("descent serve: too many sessions from 127.0.0.1 (at most 1 per address)"))
    tmux.press("q")
    #expect(tmux.waitFor("the first session's end", timeout: 30) { $0.contains("EXIT=0") } != nil)
    #expect(server.stop() == 0)
  }

  @Test(.enabled(if: ServeHarness.sshpassAvailable))
  func aWrongPasswordIsRefusedAfterADelay() throws {
    let folder = CLI.temporaryFolder()
    try "right\n".write(toFile: folder + "/password", atomically: true, encoding: .utf8)
    try "wrong\n".write(toFile: folder + "/guess", atomically: true, encoding: .utf8)
    let server = try ServeHarness(["--password-file", folder + "/password"])
    let start = Date()
    let attempt = try Launch.run(
      ["/usr/bin/sshpass", "-f", folder + "/guess"]
        + server.ssh(["-o", "PubkeyAuthentication=no", "-o", "NumberOfPasswordPrompts=1", "-tt"]))
    #expect(attempt.status != 0)
    #expect(attempt.output.contains("Permission denied"))
    #expect(Date().timeIntervalSince(start) >= 0.5)
    #expect(server.logLine(containing: "login failed (1 attempts)") != nil)
  }

  @Test func stoppingTheServerEndsEverySessionAndLeavesNoProcess() throws {
    let server = try ServeHarness(["--open"])
    let tmux = try Tmux(width: 80, height: 24)
    tmux.type(server.sshLine(["-o", "BatchMode=yes", "-t"]) + "; echo EXIT=$?")
    _ = tmux.waitFor("a session", timeout: 60) { Status($0) != nil }
    #expect(tmux.terminalModes() == "alternate 1 mouse 1 cursor 0")
    let children = server.children
    #expect(children.count == 1)
    #expect(server.stop() == 0)
    // The dashboard is hung up on before its connection closes: it gives the student their
    // terminal back, and the client is told why.
    let end = tmux.waitForExitStatus("the client's end")
    #expect(end?.contains("descent serve: the server stopped") == true)
    #expect(end?.contains("EXIT=129") == true)
    #expect(tmux.terminalModes() == "alternate 0 mouse 0 cursor 1")
    #expect(children.allSatisfy { !Proc.alive($0) })
    #expect(server.output.contains("descent serve: stopped (1 dashboard(s) ended)"))
  }

  @Test func aClientKilledMidSessionLeavesNoDashboard() throws {
    let server = try ServeHarness(["--open"])
    let tmux = try Tmux(width: 80, height: 24)
    tmux.type("exec " + server.sshLine(["-o", "BatchMode=yes", "-t"]))
    _ = tmux.waitFor("a session", timeout: 60) { Status($0) != nil }
    let children = server.children
    #expect(children.count == 1)
    let client = try #require(tmux.panePID)
    kill(client, SIGKILL)
    let deadline = Date().addingTimeInterval(20)
    while Date() < deadline && (children.contains(where: Proc.alive) || !server.children.isEmpty) { usleep(50_000) }
    #expect(children.allSatisfy { !Proc.alive($0) })
    #expect(server.children.isEmpty)
    #expect(server.logLine(containing: "user ") != nil)
    #expect(server.stop() == 0)
  }

  /// What `ssh -N -L PORT:127.0.0.1:9` prints once something connects to its local port.
  static func localForwarding(_ server: ServeHarness) throws -> String {
    let port = freePort()
    let file = CLI.temporaryFolder() + "/ssh.out"
    let ssh = try Launch.spawn(
      server.ssh(["-o", "BatchMode=yes", "-N", "-L", "\(port):127.0.0.1:9"], logLevel: "INFO"), output: file)
    defer {
      kill(ssh, SIGKILL)
      waitpid(ssh, nil, 0)
    }
    let deadline = Date().addingTimeInterval(30)
    var output = ""
    while Date() < deadline && !output.contains("open failed") {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = in_port_t(UInt16(port).bigEndian)
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
      usleep(200_000)
      close(fd)
      output = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    }
    return output
  }
}

/// A TCP port on 127.0.0.1 that nothing listens on (the kernel's pick, released).
func freePort() -> Int {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  defer { close(fd) }
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_addr.s_addr = inet_addr("127.0.0.1")
  var length = socklen_t(MemoryLayout<sockaddr_in>.size)
  _ = withUnsafeMutablePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      bind(fd, $0, length)
      return getsockname(fd, $0, &length)
    }
  }
  return Int(UInt16(bigEndian: address.sin_port))
}
