import Foundation
import Glibc
import Testing

/// A private tmux server with one window running a plain bash, driven as a person would:
/// type, press keys, resize, read the screen.
final class Tmux {
  static let path: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }
  static var available: Bool { path != nil }
  static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

  let server = "descent-e2e-\(UUID().uuidString.prefix(8))"
  /// A scratch folder the shell starts in.
  let folder: String

  init(width: Int, height: Int, term: String = "tmux-256color", environment: [String: String] = [:]) throws {
    folder = CLI.temporaryFolder()
    let config = folder + "/tmux.conf"
    try "set -g default-terminal \"\(term)\"\nset -g status off\nset -g history-limit 100\n"
      .write(toFile: config, atomically: true, encoding: .utf8)
    // `swift test` may run with NO_COLOR set when its output is not a terminal: the shell in the
    // pane starts without it, as a user's would (a test that wants it sets it).
    var variables = ["LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "NO_COLOR": ""]
    variables.merge(environment) { $1 }
    let settings = variables.flatMap { ["-e", "\($0)=\($1)"] }
    // The server outlives this call and would hold a pipe open: give it no output to hold.
    try tmux(
      ["-f", config, "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-c", folder] + settings
        + ["bash --norc --noprofile"], output: false)
  }

  deinit { _ = try? tmux(["kill-server"]) }

  @discardableResult
  func tmux(_ arguments: [String], output: Bool = true) throws -> String {
    try Spawn.run([Tmux.path!, "-L", server] + arguments, output: output)
  }

  /// The pane's terminal modes as a program left them: the alternate screen, mouse reports and
  /// the cursor, as `alternate 0 mouse 0 cursor 1` (what a restored terminal reads).
  func terminalModes() -> String? {
    try? tmux([
      "display-message", "-p", "-t", "0", "alternate #{alternate_on} mouse #{mouse_any_flag} cursor #{cursor_flag}",
    ])
    .trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Waits for the `EXIT=` and digits that `; echo EXIT=$?` prints after a command ends (the typed
  /// line itself has `EXIT=$?`); the screen then.
  func waitForExitStatus(_ what: String, timeout: Double = 30) -> String? {
    waitFor(what, timeout: timeout) { $0.range(of: #"EXIT=\d"#, options: .regularExpression) != nil }
  }

  /// Types text literally, then presses Enter if asked.
  func type(_ text: String, enter: Bool = true) {
    send(["-l", text])
    if enter { press("Enter") }
  }

  /// Presses keys by tmux name (`Enter`, `Up`, `C-c`, `space`, `q`, `;`).
  func press(_ keys: String...) { press(keys) }
  func press(_ keys: [String]) { send(keys) }

  /// Sends keys to the pane; a refusal is the test's mistake, so it is recorded. tmux ends a
  /// command at an argument ending in `;` (and would run the next key as a command: `f` opens its
  /// tree mode on the pane, which then takes every key); `\;` is the key itself.
  private func send(_ keys: [String]) {
    let escaped = keys.map { $0.hasSuffix(";") ? $0.dropLast() + "\\;" : $0 }
    do {
      let status = try Spawn.execute([Tmux.path!, "-L", server, "send-keys", "-t", "0"] + escaped).status
      if status != 0 { Issue.record("tmux refused send-keys \(keys) (exit status \(status))") }
    } catch {
      Issue.record("tmux could not be run to send \(keys)")
    }
  }

  /// Clicks a mouse button (0 left, 2 right) at a cell (0-based), as xterm reports it (X10
  /// encoding).
  func click(x: Int, y: Int, button: Int = 0) {
    func event(_ button: Int) -> String {
      "\u{1b}[M" + String(UnicodeScalar(UInt8(32 + button))) + String(UnicodeScalar(UInt8(33 + x)))
        + String(UnicodeScalar(UInt8(33 + y)))
    }
    type(event(button) + event(3), enter: false)
  }

  /// The pane's mouse modes as tmux holds them: standard (1000), button (1002), any (1003) and
  /// SGR's encoding (1006), a digit each.
  func mouseModes() -> String {
    let format = "#{mouse_standard_flag}#{mouse_button_flag}#{mouse_any_flag}#{mouse_sgr_flag}"
    let modes = (try? tmux(["display-message", "-p", "-t", "0", format])) ?? ""
    return modes.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  func resize(_ width: Int, _ height: Int) {
    _ = try? tmux(["resize-window", "-t", "0", "-x", "\(width)", "-y", "\(height)"])
  }

  func capture(colors: Bool = false) -> String {
    (try? tmux(["capture-pane", "-p", "-t", "0"] + (colors ? ["-e"] : []))) ?? ""
  }

  /// Polls the screen until `condition` holds (up to `timeout` seconds); the last screen either way
  /// in `last`, nil on time-out.
  func waitFor(_ what: String, timeout: Double = 20, colors: Bool = false, _ condition: (String) -> Bool) -> String? {
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
      let screen = capture(colors: colors)
      if condition(screen) { return screen }
      usleep(50_000)
    } while Date() < deadline
    Issue.record("timed out waiting for \(what); the screen was:\n\(capture())\n\(processes())")
    return nil
  }

  /// Waits until the program in the pane has read everything typed into it: the pane's terminal
  /// holds no unread input on three looks 100 ms apart (tmux refills it at once while it has more
  /// to send). False on time-out.
  func waitUntilInputIsRead(timeout: Double) -> Bool {
    guard let tty = try? tmux(["display-message", "-p", "-t", "0", "#{pane_tty}"]) else { return false }
    let fd = open(tty.trimmingCharacters(in: .whitespacesAndNewlines), O_RDONLY | O_NOCTTY | O_NONBLOCK)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    let deadline = Date().addingTimeInterval(timeout)
    var empty = 0
    repeat {
      var unread: Int32 = 0
      guard ioctl(fd, UInt(FIONREAD), &unread) == 0 else { return false }
      empty = unread == 0 ? empty + 1 : 0
      if empty == 3 { return true }
      usleep(100_000)
    } while Date() < deadline
    return false
  }

  /// The process the pane runs (its shell, or what replaced it by `exec`).
  var panePID: pid_t? {
    (try? tmux(["display-message", "-p", "-t", "0", "#{pane_pid}"]))
      .flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
  }

  /// What the programs in the pane are doing, for a time-out's report: each process under the
  /// shell with its state and where it waits in the kernel, and its threads likewise (a hang, a
  /// stopped process and a busy one read differently).
  func processes() -> String {
    guard let shell = panePID.map(String.init) else { return "(no pane)" }
    func read(_ path: String) -> String {
      ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "?").trimmingCharacters(in: .whitespacesAndNewlines)
    }
    /// `name state wchan cpu-ticks` of a process or thread, from /proc.
    func describe(_ folder: String) -> String {
      let stat = read(folder + "/stat")
      // The fields after the command's closing parenthesis: state is the first, utime and stime
      // the 12th and 13th.
      let fields = stat.split(separator: ")").last.map { $0.split(separator: " ") } ?? []
      let ticks = fields.count > 12 ? "\((Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)) ticks" : ""
      return "\(read(folder + "/comm")) \(fields.first ?? "?") \(read(folder + "/wchan")) \(ticks)"
    }
    var lines = ["processes in the pane (name, state, kernel wait, cpu):"]
    var pending = [shell]
    while let pid = pending.popLast() {
      lines.append("  \(pid) " + describe("/proc/\(pid)"))
      let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
      for tid in threads.sorted() where tid != pid && threads.count < 64 {
        lines.append("    \(tid) " + describe("/proc/\(pid)/task/\(tid)"))
      }
      pending += read("/proc/\(pid)/task/\(pid)/children").split(separator: " ").map(String.init)
    }
    return lines.joined(separator: "\n")
  }

  /// Runs `descent` with arguments in the shell, recording the terminal settings before and after
  /// and the exit status.
  func launch(_ arguments: String, environment: String = "") {
    let command = environment.isEmpty ? CLI.binary.path : "env \(environment) \(CLI.binary.path)"
    type("stty -g > stty-before; \(command) \(arguments); s=$?; stty -g > stty-after; echo EXIT=$s")
  }

  /// The terminal settings saved around the run were the same.
  func terminalRestored() -> Bool {
    let before = try? String(contentsOfFile: folder + "/stty-before", encoding: .utf8)
    let after = try? String(contentsOfFile: folder + "/stty-after", encoding: .utf8)
    return before != nil && before == after
  }
}

/// Reads the dashboard's status line.
struct Status {
  /// The post's iteration; -1 before the first update (`it –`).
  var iteration: Int
  var loss: Double?
  var line: String

  init?(_ screen: String) {
    guard let line = screen.split(separator: "\n").last(where: { $0.hasPrefix(" it ") }) else { return nil }
    self.line = String(line)
    let words = line.split(separator: " ")
    guard let it = words.firstIndex(of: "it"), it + 1 < words.count,
      let iteration = words[it + 1] == "–" ? -1 : Int(words[it + 1].replacingOccurrences(of: ",", with: ""))
    else { return nil }
    self.iteration = iteration
    loss = words.firstIndex(of: "loss").flatMap { $0 + 1 < words.count ? Double(words[$0 + 1]) : nil }
  }
}

/// Runs a program with posix_spawn and waitpid. (Foundation's `Process` can miss the exit of a
/// tmux client whose server daemonizes, and then waits forever.)
enum Spawn {
  struct Failed: Error {}

  /// Initializes `attributes` so the child starts with no signal blocked and the default
  /// handlers: a test runner's threads may block signals, and the dashboard under tmux would then
  /// never hear of a resize.
  static func defaultSignals(_ attributes: inout posix_spawnattr_t) {
    posix_spawnattr_init(&attributes)
    var none = sigset_t()
    sigemptyset(&none)
    var all = sigset_t()
    sigfillset(&all)
    sigdelset(&all, SIGKILL)
    sigdelset(&all, SIGSTOP)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
  }

  static func run(_ argv: [String], output: Bool) throws -> String {
    try execute(argv, output: output).output
  }

  /// Runs a program; what it printed on standard output (with `output`) and its exit status.
  static func execute(_ argv: [String], output: Bool = true) throws -> (output: String, status: Int32) {
    // Close-on-exec, so that a child spawned at the same moment by another test (a tmux server,
    // which lives on) cannot inherit this pipe's write end and keep the read below from ending.
    var pipe: [Int32] = [0, 0]
    guard Glibc.pipe(&pipe) == 0 else { throw Failed() }
    _ = fcntl(pipe[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(pipe[1], F_SETFD, FD_CLOEXEC)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    if output {
      posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
    } else {
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    }
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addclose(&actions, pipe[0])
    posix_spawn_file_actions_addclose(&actions, pipe[1])
    var attributes = posix_spawnattr_t()
    defaultSignals(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var pid: pid_t = 0
    let cArguments = argv.map { strdup($0) } + [nil]
    defer { cArguments.forEach { free($0) } }
    let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, environ)
    close(pipe[1])
    defer { close(pipe[0]) }
    guard spawned == 0 else { throw Failed() }
    var data = Data()
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = read(pipe[0], &chunk, chunk.count)
      if n <= 0 { break }
      data.append(contentsOf: chunk[0..<n])
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // The exit status, or 128 and the signal that ended it.
    let exit = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + status & 0x7f
    return (String(decoding: data, as: UTF8.self), exit)
  }
}
