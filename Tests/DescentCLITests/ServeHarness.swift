import Foundation
import Glibc
import Testing

/// A `descent serve` of its own on 127.0.0.1 and a free port, with a fresh host key folder, its
/// output in a file; SIGKILLed and reaped at the end if a test did not stop it.
final class ServeHarness {
  let folder: String
  let pid: pid_t
  private(set) var port = 0
  private var reaped = false

  /// `dataHome` is the XDG_DATA_HOME the host key goes in (a new folder by default);
  /// `environment` adds to the server's.
  init(_ arguments: [String], dataHome: String? = nil, environment: [String: String] = [:]) throws {
    folder = CLI.temporaryFolder()
    pid = try Launch.spawn(
      [CLI.binary.path, "serve", "--host", "127.0.0.1", "--port", "0"] + arguments,
      output: folder + "/serve.out",
      environment: environment.merging(["XDG_DATA_HOME": dataHome ?? folder + "/data"]) { $1 })
    // The port is printed once the server listens (slow under the thread sanitizer).
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      if let match = output.firstMatch(of: /listening on 127\.0\.0\.1 port (\d+);/) {
        port = Int(match.1)!
        return
      }
      if exitStatus() != nil { break }
      usleep(50_000)
    }
    Issue.record("descent serve did not start; it printed:\n\(output)")
  }

  deinit {
    if !reaped {
      kill(pid, SIGKILL)
      _ = exitStatus(wait: 10)
    }
  }

  var output: String { (try? String(contentsOfFile: folder + "/serve.out", encoding: .utf8)) ?? "" }

  /// The server's exit status once it has exited, waiting up to `wait` seconds.
  func exitStatus(wait: Double = 0) -> Int32? {
    if reaped { return 0 }
    let deadline = Date().addingTimeInterval(wait)
    repeat {
      var status: Int32 = 0
      if waitpid(pid, &status, WNOHANG) == pid {
        reaped = true
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
      }
      if wait > 0 { usleep(20_000) }
    } while Date() < deadline
    return nil
  }

  /// SIGTERM, and the exit status (nil if it did not stop within 30 seconds).
  func stop() -> Int32? {
    kill(pid, SIGTERM)
    let status = exitStatus(wait: 30)
    #expect(!output.contains("ThreadSanitizer"), "the server's output:\n\(output)")
    return status
  }

  /// The server's child processes (its dashboards), from /proc.
  var children: [pid_t] { Proc.children(of: pid) }

  /// The ssh client's arguments for this server, with no host key checks (a fresh key each run).
  /// The client's terminal type is `term` ("" for none), as a student's terminal sets it, not
  /// whatever the test runner has (CI may have no TERM); nil leaves the runner's (inside tmux).
  func ssh(
    _ options: [String] = [], command: [String] = [], logLevel: String = "ERROR", term: String? = "xterm-256color"
  ) -> [String] {
    let environment = term.map { $0.isEmpty ? ["/usr/bin/env", "-u", "TERM"] : ["/usr/bin/env", "TERM=\($0)"] } ?? []
    return environment + [
      "/usr/bin/ssh", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o",
      "LogLevel=\(logLevel)",
      "-o", "ConnectTimeout=30", "-p", "\(port)",
    ] + options + ["127.0.0.1"] + command
  }

  /// A shell command line for `ssh(options, command)`, with the terminal type of the shell it runs in.
  func sshLine(_ options: [String] = [], command: [String] = [], prefix: [String] = []) -> String {
    (prefix + ssh(options, command: command, term: nil)).map { "'\($0)'" }.joined(separator: " ")
  }

  /// The line the server logged for a finished connection containing `text`, waiting for it.
  func logLine(containing text: String, timeout: Double = 20) -> String? {
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
      if let line = output.split(separator: "\n").first(where: { $0.contains(" → ") && $0.contains(text) }) {
        return String(line)
      }
      usleep(50_000)
    } while Date() < deadline
    return nil
  }

  static var sshAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh") }
  static var sshpassAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/sshpass") }
}

/// Starts programs with posix_spawn, output to a file, and runs them to the end with a time limit.
enum Launch {
  struct Failed: Error {}

  static func spawn(_ argv: [String], output: String, environment: [String: String] = [:]) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var attributes = posix_spawnattr_t()
    Spawn.defaultSignals(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var variables = ProcessInfo.processInfo.environment
    variables.merge(environment) { $1 }
    let cEnvironment = variables.map { strdup("\($0)=\($1)") } + [nil]
    let cArguments = argv.map { strdup($0) } + [nil]
    defer {
      cArguments.forEach { free($0) }
      cEnvironment.forEach { free($0) }
    }
    var pid: pid_t = 0
    guard posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment) == 0 else { throw Failed() }
    return pid
  }

  /// Runs to the end (killed after `timeout` seconds): the exit status and everything it printed
  /// on standard output and error.
  static func run(_ argv: [String], timeout: Double = 60) throws -> (status: Int32, output: String) {
    let file = NSTemporaryDirectory() + "descent-run-\(UUID().uuidString)"
    defer { unlink(file) }
    let pid = try spawn(argv, output: file)
    let deadline = Date().addingTimeInterval(timeout)
    var status: Int32 = 0
    while waitpid(pid, &status, WNOHANG) != pid {
      if Date() > deadline {
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        Issue.record("\(argv.joined(separator: " ")) did not end within \(timeout) s")
        break
      }
      usleep(20_000)
    }
    let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return (code, (try? String(contentsOfFile: file, encoding: .utf8)) ?? "")
  }
}

/// Reads processes from /proc.
enum Proc {
  /// The fields of /proc/PID/stat after the command name (the state is the first).
  static func stat(_ pid: pid_t) -> [Substring]? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = text.lastIndex(of: ")")
    else { return nil }
    return text[text.index(after: close)...].split(separator: " ")
  }

  static func children(of parent: pid_t) -> [pid_t] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { pid_t($0) }.filter { pid in
      guard let fields = stat(pid), fields.count > 1 else { return false }
      return pid_t(fields[1]) == parent
    }
  }

  /// Whether the process exists and is not a zombie.
  static func alive(_ pid: pid_t) -> Bool {
    guard let fields = stat(pid) else { return false }
    return fields.first != "Z"
  }

  /// User plus system CPU seconds (of the process itself; fields 14 and 15 of stat).
  static func cpuSeconds(_ pid: pid_t) -> Double {
    guard let fields = stat(pid), fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12])
    else { return 0 }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
  }

  /// Resident memory in MiB (VmRSS), and its peak (VmHWM).
  static func memory(_ pid: pid_t) -> (rss: Double, peak: Double) {
    let text = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    func field(_ name: String) -> Double {
      guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
        let kib = Double(line.split(separator: " ").dropFirst().first ?? "")
      else { return 0 }
      return kib / 1024
    }
    return (field("VmRSS"), field("VmHWM"))
  }
}
