import NIOCore
import NIOSSH

/// Watches one TCP connection: closes it if the client has not logged in within the login
/// timeout or breaks the protocol, and ends it (`ServerContext.end`, its dashboard hung up on
/// first) if the client has sent nothing for the idle timeout. (It sits after the
/// SSH handler, which passes on errors and events but not the connection's end: the server
/// watches `closeFuture` for that.)
final class ConnectionGuard: ChannelInboundHandler {
  typealias InboundIn = NIOAny

  private let server: ServerContext
  private let connection: Connection
  private var loginTimer: Scheduled<Void>?

  init(server: ServerContext, connection: Connection) {
    self.server = server
    self.connection = connection
  }

  func handlerAdded(context: ChannelHandlerContext) {
    let seconds = server.configuration.loginTimeout
    let channel = context.channel
    loginTimer = context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(seconds * 1000))) {
      [connection] in
      guard !connection.snapshot.authenticated else { return }
      connection.note("login timed out after \(ServeConfiguration.duration(seconds))")
      channel.close(promise: nil)
    }
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
      let reason = "closed after \(ServeConfiguration.duration(server.configuration.idleTimeout)) without input"
      connection.note(reason)
      server.end(connection, channel: context.channel, because: reason)
      return
    }
    context.fireUserInboundEventTriggered(event)
  }

  func errorCaught(context: ChannelHandlerContext, error: Error) {
    // A protocol error (bad packet, failed key exchange, too many login attempts) ends only
    // this connection.
    if !(error is ChannelError) { connection.note("protocol error: \(String(describing: error).prefix(120))") }
    context.close(promise: nil)
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    loginTimer?.cancel()
  }
}
