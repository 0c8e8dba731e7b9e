import Foundation
import NIOCore
import NIOConcurrencyHelpers

/// What every connection of one server shares: the configuration, the limits, the failed-login
/// counts, the live dashboards and open connections (to end them all at stop), and the log.
final class ServerContext: Sendable {
  let configuration: ServeConfiguration
  let hostKey: HostKey
  let children = Children()
  let limits: SessionLimits
  let failures = FailedLogins()
  let log: ConnectionLog
  private let open = NIOLockedValueBox<[ObjectIdentifier: (Connection, Channel)]>([:])
  private let closed = NIOLockedValueBox<Set<ObjectIdentifier>>([])
  private let sessionNumber = NIOLockedValueBox(0)

  init(configuration: ServeConfiguration, hostKey: HostKey, log: ConnectionLog) {
    self.configuration = configuration
    self.hostKey = hostKey
    self.log = log
    limits = SessionLimits(maxSessions: configuration.maxSessions, perAddress: configuration.perAddress)
  }

  func nextSessionNumber() -> Int {
    sessionNumber.withLockedValue {
      $0 += 1; return $0
    }
  }

  func connectionOpened(_ connection: Connection, channel: Channel) {
    open.withLockedValue { $0[ObjectIdentifier(connection)] = (connection, channel) }
  }

  /// The TCP connection closed: its place under the limits is free; its line is logged once its
  /// sessions have also ended.
  func connectionClosed(_ connection: Connection, channel: Channel) {
    let id = ObjectIdentifier(connection)
    guard open.withLockedValue({ $0.removeValue(forKey: id) }) != nil else { return }
    limits.release(connection.address)
    closed.withLockedValue { _ = $0.insert(id) }
    connectionMayEnd(connection)
  }

  /// Logs the connection's line if it has closed and has no session left.
  func connectionMayEnd(_ connection: Connection) {
    let id = ObjectIdentifier(connection)
    guard connection.snapshot.sessions <= 0, closed.withLockedValue({ $0.remove(id) }) != nil else { return }
    log.record(connection)
  }

  /// Ends a connection by the server's choice (it stops, or the client was idle): its dashboard is
  /// hung up on first, while the connection is open, so that it restores the student's terminal
  /// (the main screen, the cursor, no mouse reports) and its exit status reaches the client, which
  /// then closes. After `grace`, or at once without a session's dashboard, the server closes it.
  /// Only the first call for a connection does anything (the idle timeout may come again, or the
  /// server stop during the grace). Returns the dashboard it hung up on, if one was still running,
  /// and the connection's closing.
  @discardableResult
  func end(
    _ connection: Connection, channel: Channel, because reason: String, grace: TimeAmount = .seconds(2)
  ) -> (hungUp: pid_t?, closed: EventLoopFuture<Void>) {
    let (first, dashboard) = connection.state.withLockedValue { state in
      guard state.ending == nil else { return (false, state.dashboard) }
      state.ending = reason
      return (true, state.dashboard)
    }
    guard first else { return (nil, channel.closeFuture) }
    guard let dashboard else {
      channel.close(promise: nil)
      return (nil, channel.closeFuture)
    }
    // A dashboard that has exited is not signalled; its session is closing by itself.
    let hungUp = children.signal(dashboard, SIGHUP)
    channel.eventLoop.scheduleTask(in: grace) { channel.close(promise: nil) }
    return (hungUp ? dashboard : nil, channel.closeFuture)
  }

  /// Ends every connection (`end`): the dashboards it hung up on, and the connections' closings.
  func endAll() -> (hungUp: Set<pid_t>, closing: [EventLoopFuture<Void>]) {
    let ends = open.withLockedValue { Array($0.values) }.map { end($0.0, channel: $0.1, because: "the server stopped") }
    return (Set(ends.compactMap(\.hungUp)), ends.map(\.closed))
  }

  var openConnections: Int { open.withLockedValue { $0.count } }
}
