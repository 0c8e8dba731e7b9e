import Dispatch
import Foundation
import NIOCore
import NIOPosix
import NIOSSH

/// `descent serve`: an SSH server whose every session is a dashboard of its own.
public enum SSHServer {
  /// Listens until ctrl-c, SIGTERM or SIGHUP, then ends every session (hang-up, then kill after
  /// a grace period), reaps every dashboard, and returns.
  public static func run(_ configuration: ServeConfiguration) throws {
    let hostKey = try HostKey.loadOrCreate(in: configuration.hostKeyFolder)
    let log = try ConnectionLog(path: configuration.logFile)
    let server = ServerContext(configuration: configuration, hostKey: hostKey, log: log)

    // The signals are taken before the port opens, so a stop that comes at once is not lost.
    let stop = DispatchSemaphore(value: 0)
    let stopSignals = [SIGINT, SIGTERM, SIGHUP]
    let sources = stopSignals.map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { @Sendable in stop.signal() }
      source.resume()
      return source
    }
    defer { sources.forEach { $0.cancel() } }
    signal(SIGPIPE, SIG_IGN)

    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    defer { try? group.syncShutdownGracefully() }
    let listener: Channel
    do {
      listener = try bootstrap(server, group: group).bind(host: configuration.host, port: configuration.port).wait()
    } catch {
      throw ServeError(
        "cannot listen on \(configuration.host) port \(configuration.port): \(error); is another server on it? (--port)"
      )
    }
    let port = listener.localAddress?.port ?? configuration.port
    for line in banner(server, port: port) { log.say(line) }

    stop.wait()
    log.say("descent serve: stopping; ending \(server.openConnections) connection(s)")
    try? listener.close().wait()
    let ending = server.endAll()
    for closing in ending.closing { try? closing.wait() }
    // Any dashboard still there (one that ignored its hang-up) is given a last chance, then killed.
    // Counted are the dashboards the server ended, not those that had exited by themselves.
    let ended = ending.hungUp.union(server.children.stopAll(grace: 1)).count
    // The sessions log their lines from the event loop once their dashboards are reaped.
    for _ in 0..<100 where server.openConnections > 0 || server.children.count > 0 { usleep(10_000) }
    try? group.next().submit {}.wait()
    log.say("descent serve: stopped (\(ended) dashboard(s) ended)")
  }

  static func bootstrap(_ server: ServerContext, group: EventLoopGroup) -> ServerBootstrap {
    let configuration = server.configuration
    return ServerBootstrap(group: group)
      .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
      .serverChannelOption(ChannelOptions.backlog, value: 128)
      .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
      .childChannelInitializer { channel in
        let address = channel.remoteAddress?.ipAddress ?? "unknown"
        let refusal: String?
        switch server.limits.admit(address) {
        case .dropped: return channel.close()
        case .admitted: refusal = nil
        case .refused(let reason): refusal = reason
        }
        let connection = Connection(address: address, refusal: refusal)
        server.connectionOpened(connection, channel: channel)
        channel.closeFuture.whenComplete { _ in server.connectionClosed(connection, channel: channel) }
        return channel.eventLoop.makeCompletedFuture {
          var ssh = SSHServerConfiguration(
            hostKeys: [server.hostKey.sshKey],
            userAuthDelegate: LoginGate(policy: configuration.policy, connection: connection, failures: server.failures)
          )
          ssh.maxAuthAttempts = 20
          let handlers: [ChannelHandler] = [
            IdleStateHandler(readTimeout: .milliseconds(Int64(configuration.idleTimeout * 1000))),
            NIOSSHHandler(
              role: .server(ssh), allocator: channel.allocator,
              inboundChildChannelInitializer: { child, type in
                sessionInitializer(child, type, server: server, connection: connection)
              }),
            ConnectionGuard(server: server, connection: connection),
          ]
          try channel.pipeline.syncOperations.addHandlers(handlers)
        }
      }
  }

  /// Session channels get a dashboard; every other channel (port forwarding, `-W`) is refused.
  static func sessionInitializer(
    _ channel: Channel, _ type: SSHChannelType, server: ServerContext, connection: Connection
  ) -> EventLoopFuture<Void> {
    guard case .session = type else {
      let what: String
      switch type {
      case .directTCPIP(let target): what = "port forwarding to \(target.targetHost):\(target.targetPort)"
      case .forwardedTCPIP: what = "a forwarded port"
      default: what = "a channel"
      }
      connection.note("refused: \(what)")
      return channel.eventLoop.makeFailedFuture(ServeError("refused: \(what)"))
    }
    // A client that closes its input (`ssh HOST < /dev/null`) still sees its session to the end.
    return channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: true).flatMapThrowing {
      try channel.pipeline.syncOperations.addHandler(SessionHandler(server: server, connection: connection))
    }
  }

  static func banner(_ server: ServerContext, port: Int) -> [String] {
    let configuration = server.configuration
    let policy = configuration.policy
    var who: [String] = []
    if policy.open { who.append("anyone, with any user name and no password (--open)") }
    if policy.passwordDigest != nil { who.append("whoever gives the password of --password-file") }
    if let keys = policy.keys { who.append("the \(keys.keys.count) key(s) of --authorized-keys") }
    let host = configuration.host == "0.0.0.0" || configuration.host == "::" ? "HOST" : configuration.host
    // `--served` only tells the dashboard it is a session: not a limit.
    let shownOptions = configuration.childOptions.filter { $0 != "--served" }
    return [
      "descent serve: listening on \(configuration.host) port \(port); students run: ssh -p \(port) \(host)",
      "host key: \(server.hostKey.fingerprint) (ED25519)\(server.hostKey.isNew ? ", new" : ""), in \(server.hostKey.path)",
      "who may log in: \(who.joined(separator: "; "))",
      "limits: \(configuration.maxSessions) sessions, \(configuration.perAddress) per address, "
        + "idle \(ServeConfiguration.duration(configuration.idleTimeout)), login \(ServeConfiguration.duration(configuration.loginTimeout))"
        + (shownOptions.isEmpty ? "" : ", dashboards get \(shownOptions.joined(separator: " "))"),
      "ctrl-c stops the server and every session",
    ]
  }
}
