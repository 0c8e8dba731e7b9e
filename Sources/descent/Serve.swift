import ArgumentParser
import Dashboard
import DescentCore
import DescentServe
import Foundation

/// `descent serve`: an SSH server that gives every student a dashboard of their own.
struct Serve: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Serve the dashboard over SSH: each student runs 'ssh -p 2222 HOST' and gets one of their own.",
    discussion: """
      Say who may log in: --password-file FILE, --authorized-keys FILE, or --open (anyone who can \
      reach the port). Each session is its own dashboard process on its own pseudo-terminal; \
      'ssh -t -p 2222 HOST tour', 'ssh -t -p 2222 HOST lesson NAME' (a shipped lesson or one in the server's \
      lesson folder, by name) or 'ssh -t -p 2222 HOST watch --dataset spiral' start the tour, a lesson or a \
      setup. Nothing else runs: no shell, no other command, no forwarding, no sftp, and nothing is written on \
      the server (R, the recording key, says so).
      """)

  @Option(help: "The address to listen on (default: all IPv4 addresses; 127.0.0.1 for this machine only).")
  var host = "0.0.0.0"

  @Option(help: "The port to listen on, 1 to 65535 (0: any free port, printed at start).")
  var port = 2222

  @Option(help: "A file whose first line is the password (never on the command line, where ps shows it).")
  var passwordFile: String?

  @Option(help: "An OpenSSH authorized_keys file: its ssh-ed25519 and ecdsa-sha2-nistp256/384/521 keys may log in.")
  var authorizedKeys: String?

  @Flag(help: "Let anyone who can reach the port in, with no password (a closed classroom network).")
  var open = false

  @Option(help: "Sessions at most, 1 to 1000.")
  var maxSessions = 60

  @Option(help: "Sessions at most from one address, 1 to 1000.")
  var perAddress = 5

  @Option(help: "Minutes without a key from a student before the session is closed, 0.05 to 1440.")
  var idleTimeout = 30.0

  @Option(help: "Seconds a client has to log in, 1 to 600.")
  var loginTimeout = 30.0

  @Option(
    help:
      "Each session's training speed cap, 1 to 100000 iterations per second (60 sessions at 2000 use about one core)."
  )
  var maxSpeed = 2000.0

  @Option(help: "Also append the connection lines to this file.")
  var log: String?

  @Option(help: .hidden)
  var statsFolder: String?

  func validate() throws {
    try require(port, in: 0...65535, "--port")
    try require(maxSessions, in: 1...1000, "--max-sessions")
    try require(perAddress, in: 1...1000, "--per-address")
    try require(idleTimeout, in: 0.05...1440, "--idle-timeout")
    try require(loginTimeout, in: 1...600, "--login-timeout")
    try require(maxSpeed, in: 1...100_000, "--max-speed")
    if open && (passwordFile != nil || authorizedKeys != nil) {
      throw ValidationError("--open lets anyone in; give it alone, or --password-file / --authorized-keys without it")
    }
    if !open && passwordFile == nil && authorizedKeys == nil {
      throw ValidationError(
        "say who may log in: --password-file FILE, --authorized-keys FILE, or --open (anyone who can reach the port)")
    }
  }

  func run() throws {
    let policy: LoginPolicy
    if open {
      policy = .open
    } else {
      let (loaded, warnings) = try serveStep {
        try LoginPolicy.load(passwordFile: passwordFile, authorizedKeys: authorizedKeys)
      }
      for warning in warnings { FileHandle.standardError.write(Data("descent serve: warning: \(warning)\n".utf8)) }
      policy = loaded
    }
    var configuration = ServeConfiguration(
      policy: policy, hostKeyFolder: HostKey.defaultFolder(), executable: try Self.executable(),
      check: Self.dashboardProblem)
    configuration.host = host
    configuration.port = port
    configuration.maxSessions = maxSessions
    configuration.perAddress = perAddress
    configuration.idleTimeout = idleTimeout * 60
    configuration.loginTimeout = loginTimeout
    configuration.logFile = log
    configuration.statsFolder = statsFolder
    configuration.childOptions = [
      "--max-speed", maxSpeed == maxSpeed.rounded() ? String(Int(maxSpeed)) : String(maxSpeed), "--served",
    ]
    try serveStep { try SSHServer.run(configuration) }
  }

  /// The dashboard's commands; a session may start only these.
  static let dashboardCommands: [ParsableCommand.Type] = [Watch.self, TourCommand.self, LessonCommand.self]

  /// Nil if `arguments` start a dashboard, else why not, in one line.
  @Sendable static func dashboardProblem(_ arguments: [String]) -> String? {
    let names = dashboardCommands.compactMap { $0.configuration.commandName ?? "watch" }
    let usage =
      "only the dashboard runs here: ssh -t -p PORT HOST [watch | tour | lesson NAME] [options]"
    if let first = arguments.first, !first.hasPrefix("-"), !names.contains(first) {
      return "'\(arguments.joined(separator: " "))' is not a dashboard command; \(usage)"
    }
    do {
      // As the dashboard will read them: `--hidden -3` is a value, not an option.
      let command = try Descent.parseAsRoot(Arguments.joiningNegativeNumbers(arguments))
      if let lesson = command as? LessonCommand { return servedLessonProblem(lesson.lesson) }
      if dashboardCommands.contains(where: { type(of: command) == $0 }) { return nil }
      return usage
    } catch {
      if Descent.exitCode(for: error) == .success {
        return "\(usage) ('descent --help' on your own machine lists the options)"
      }
      return Descent.explained(error, arguments: arguments).split(separator: "\n").first.map(String.init) ?? usage
    }
  }

  /// Nil if `name` is a lesson a session may give: a shipped one or one in the server's lesson
  /// folder, by name (a path would name a file on the server).
  static func servedLessonProblem(_ name: String) -> String? {
    let names = LessonCatalog.names()
    if names.contains(name) { return nil }
    return "lesson '\(name)': over SSH a lesson is given by name, one of \(names.joined(separator: ", "))"
  }

  /// This very executable, so each session runs the same build as the server.
  static func executable() throws -> String {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
    let path = CommandLine.arguments[0]
    guard path.hasPrefix("/") else {
      throw InputError("serve: cannot find its own executable; run it by its full path")
    }
    return path
  }
}

/// Turns the server's one-line errors into the command line's.
private func serveStep<T>(_ body: () throws -> T) throws -> T {
  do { return try body() } catch let error as ServeError { throw InputError(error.description) }
}
