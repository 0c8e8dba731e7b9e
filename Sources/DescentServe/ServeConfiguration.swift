/// Everything `descent serve` was told: where to listen, who may log in, the limits, and how a
/// session's dashboard is started.
public struct ServeConfiguration: Sendable {
  public var host = "0.0.0.0"
  /// 0 picks a free port (the server prints which).
  public var port = 2222
  public var policy: LoginPolicy
  public var maxSessions = 60
  public var perAddress = 5
  /// Seconds without a key from the client before its session is closed.
  public var idleTimeout = 1800.0
  /// Seconds a client has to log in.
  public var loginTimeout = 30.0
  /// The folder of the host key.
  public var hostKeyFolder: String
  /// Where connection lines are appended, besides standard output.
  public var logFile: String?
  /// The dashboard's executable (this one).
  public var executable: String
  /// Arguments every session's dashboard gets after the client's (the speed cap).
  public var childOptions: [String] = []
  /// If set, each session's dashboard writes its statistics (frame times, speed) here on exit.
  public var statsFolder: String?
  /// Checks a client's dashboard arguments: nil if they start a dashboard, else why not (one line).
  public var check: @Sendable ([String]) -> String?

  public init(
    policy: LoginPolicy, hostKeyFolder: String, executable: String, check: @escaping @Sendable ([String]) -> String?
  ) {
    self.policy = policy
    self.hostKeyFolder = hostKeyFolder
    self.executable = executable
    self.check = check
  }
}

extension ServeConfiguration {
  /// `30 min`, `90 s`: how the server says a timeout.
  static func duration(_ seconds: Double) -> String {
    seconds >= 60 && seconds.truncatingRemainder(dividingBy: 60) == 0
      ? "\(Int(seconds / 60)) min" : "\(Int(seconds.rounded())) s"
  }
}
