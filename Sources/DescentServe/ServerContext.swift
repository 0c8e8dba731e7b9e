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

  /// Closes every connection (their sessions hang up on their dashboards).
  func closeAll() -> [EventLoopFuture<Void>] {
    open.withLockedValue { $0.values.map { $0.1.close() } }
  }

  var openConnections: Int { open.withLockedValue { $0.count } }
}
