import Foundation
import NIOCore
import NIOPosix
import NIOSSH

/// One SSH session channel: takes the client's terminal type, size and locale, starts the
/// dashboard on a pseudo-terminal for a shell request or a dashboard command, copies bytes both
/// ways, follows window changes, and sends the dashboard's exit status. Anything else the client
/// asks for (another command, a subsystem such as sftp, more environment) is refused. Runs on its
/// channel's event loop.
final class SessionHandler: ChannelInboundHandler {
  typealias InboundIn = SSHChannelData
  typealias OutboundOut = SSHChannelData

  private let server: ServerContext
  private let connection: Connection

  private var term: String?
  private var size = WindowSize(columns: 80, rows: 24)
  private var locale: [String: String] = [:]
  private var started = false

  private var child: PseudoTerminal?
  private var terminal: Channel?
  private var reaper: Scheduled<Void>?
  private var folder: String?
  private var exitStatus: Int32?
  private var outputClosed = false
  private var finished = false

  init(server: ServerContext, connection: Connection) {
    self.server = server
    self.connection = connection
  }

  func handlerAdded(context: ChannelHandlerContext) {
    connection.update { $0.sessions += 1 }
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    switch event {
    case let request as SSHChannelRequestEvent.PseudoTerminalRequest:
      // Any terminal type is taken here and checked when the session starts, so that a client
      // whose type is missing or odd is told why (with ssh -tt, a refused terminal ends it with
      // status 255 and no word).
      let ok = !started
      if ok {
        // No more than the check needs: a longer type is refused anyway.
        term = String(request.term.unicodeScalars.prefix(Self.longestTermName + 1))
        size = WindowSize(columns: request.terminalCharacterWidth, rows: request.terminalRowHeight)
      }
      reply(context, request.wantReply, ok)
    case let request as SSHChannelRequestEvent.EnvironmentRequest:
      let ok = !started && Self.isLocale(request.name, request.value) && locale.count < 16
      if ok { locale[request.name] = request.value }
      reply(context, request.wantReply, ok)
    case let request as SSHChannelRequestEvent.WindowChangeRequest:
      size = WindowSize(columns: request.terminalCharacterWidth, rows: request.terminalRowHeight)
      if let child, terminal != nil { PseudoTerminal.resize(child.master, to: size) }
    case let request as SSHChannelRequestEvent.ShellRequest:
      start(context, command: "", wantReply: request.wantReply)
    case let request as SSHChannelRequestEvent.ExecRequest:
      start(context, command: request.command, wantReply: request.wantReply)
    case let request as SSHChannelRequestEvent.SubsystemRequest:
      guard !started else { return reply(context, request.wantReply, false) }
      started = true
      reply(context, request.wantReply, true)
      refuse(context, "no subsystems here (\(request.subsystem) asked for): this server only shows the dashboard")
    default:
      context.fireUserInboundEventTriggered(event)
    }
  }

  /// Keys from the client go to the dashboard.
  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let message = unwrapInboundIn(data)
    guard case .channel = message.type, case .byteBuffer(let bytes) = message.data, let terminal else { return }
    terminal.writeAndFlush(bytes, promise: nil)
  }

  /// The client reads slower than the dashboard draws: stop reading the terminal until it
  /// catches up (the dashboard then waits in its write, and memory stays flat).
  func channelWritabilityChanged(context: ChannelHandlerContext) {
    terminal?.setOption(ChannelOptions.autoRead, value: context.channel.isWritable).whenFailure { _ in }
    context.fireChannelWritabilityChanged()
  }

  func channelInactive(context: ChannelHandlerContext) {
    // The client went away (or the session ended): hang up on the dashboard; it gets a few
    // seconds to leave, then it is killed. The reaper goes on until it is gone.
    finished = true
    if let child, exitStatus == nil {
      server.children.signal(child.pid, SIGHUP)
      context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(3)) { [self] in
        if exitStatus == nil { server.children.signal(child.pid, SIGKILL) }
      }
    }
    terminal?.close(promise: nil)
    if child == nil { endSession() }
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: Error) {
    context.close(promise: nil)
  }

  private func reply(_ context: ChannelHandlerContext, _ wantReply: Bool, _ ok: Bool) {
    guard wantReply else { return }
    if ok {
      context.triggerUserOutboundEvent(ChannelSuccessEvent(), promise: nil)
    } else {
      context.triggerUserOutboundEvent(ChannelFailureEvent(), promise: nil)
    }
  }

  private func start(_ context: ChannelHandlerContext, command: String, wantReply: Bool) {
    guard !started else { return reply(context, wantReply, false) }
    started = true
    // Accepted, so that the client shows the line that says why, rather than a bare failure.
    reply(context, wantReply, true)
    if let refusal = connection.snapshot.refusal { return refuse(context, refusal) }
    if connection.snapshot.sessions > 1 { return refuse(context, "one session per connection") }
    let arguments: [String]
    switch DashboardRequest.arguments(command) {
    case .failure(let refusal): return refuse(context, refusal.message)
    case .success(let words): arguments = words
    }
    if let problem = server.configuration.check(arguments) { return refuse(context, problem) }
    guard let term else {
      return refuse(
        context, "the dashboard needs a terminal: add -t (ssh -t -p PORT HOST\(command.isEmpty ? "" : " " + command))")
    }
    guard Self.isTermName(term) else { return refuse(context, Self.termProblem(term)) }
    spawn(context, arguments: arguments, term: term)
  }

  private func spawn(_ context: ChannelHandlerContext, arguments: [String], term: String) {
    let configuration = server.configuration
    var folderTemplate = Array((NSTemporaryDirectory() + "/descent-serve-XXXXXX").utf8CString)
    guard let made = mkdtemp(&folderTemplate) else {
      return refuse(context, "the server cannot make a working folder: \(String(cString: strerror(errno)))")
    }
    let folder = String(cString: made)
    self.folder = folder
    var options = configuration.childOptions
    if let stats = configuration.statsFolder {
      options += ["--stats-json", stats + "/session-\(server.nextSessionNumber()).json"]
    }
    let child: PseudoTerminal
    do {
      child = try PseudoTerminal.spawn(
        [configuration.executable] + arguments + options, environment: environment(term: term), size: size,
        directory: folder)
    } catch {
      return refuse(context, "the server cannot start the dashboard: \(error)")
    }
    self.child = child
    server.children.add(child.pid)
    connection.update { $0.dashboard = child.pid }
    let channel = context.channel
    reap(child.pid, channel: channel)
    let output = NIOLoopBound(
      TerminalOutput(session: channel) { [self] in
        outputClosed = true
        finishIfDone(channel)
      }, eventLoop: context.eventLoop)
    NIOPipeBootstrap(group: context.eventLoop)
      .channelOption(ChannelOptions.autoRead, value: channel.isWritable)
      .channelInitializer { terminal in
        terminal.eventLoop.makeCompletedFuture { try terminal.pipeline.syncOperations.addHandler(output.value) }
      }
      .takingOwnershipOfDescriptor(inputOutput: child.master)
      .assumeIsolated()
      .whenComplete { [self] result in
        switch result {
        case .success(let terminal):
          self.terminal = terminal
          if finished { terminal.close(promise: nil) }
        case .failure:
          close(child.master)
          outputClosed = true
          server.children.signal(child.pid, SIGHUP)
        }
      }
  }

  /// Looks for the dashboard's exit ten times a second (a SIGCHLD handler would be shared by the
  /// whole process; this is one cheap `waitpid` per session).
  private func reap(_ pid: pid_t, channel: Channel) {
    reaper = channel.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(100)) { [self] in
      guard let status = server.children.reap(pid) else { return reap(pid, channel: channel) }
      exited(status, channel: channel)
    }
  }

  /// The dashboard exited: once its last output is sent (or half a second has passed), the
  /// client gets the exit status and the channel closes.
  private func exited(_ status: Int32, channel: Channel) {
    exitStatus = status
    connection.update { $0.exitStatus = status }
    channel.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(500)) { [self] in
      outputClosed = true
      terminal?.close(promise: nil)
      finishIfDone(channel)
    }
    finishIfDone(channel)
  }

  private func finishIfDone(_ channel: Channel) {
    guard let exitStatus, outputClosed else { return }
    if !finished {
      finished = true
      end(channel, status: exitStatus, saying: connection.snapshot.ending)
    }
    endSession()
  }

  /// Tells the client why nothing runs, on its standard error, and ends the session with status 1.
  /// Refusals that show the client how to connect write the port as `-p PORT`: filled in here
  /// with the port the client reached (the host stays `HOST`: the name it used is its own).
  private func refuse(_ context: ChannelHandlerContext, _ refusal: String) {
    let port = (context.channel.localAddress ?? context.channel.parent?.localAddress)?.port
    let message = port.map { refusal.replacingOccurrences(of: "-p PORT ", with: "-p \($0) ") } ?? refusal
    connection.note("refused: \(message)")
    connection.update { $0.exitStatus = 1 }
    finished = true
    end(context.channel, status: 1, saying: message)
  }

  /// Ends the session: `message` on the client's standard error, when there is one, then the exit
  /// status and the close, once the message has gone (NIOSSH sends the status at once, but data
  /// only as the client's window allows, so the close must wait for it).
  private func end(_ channel: Channel, status: Int32, saying message: String?) {
    let sent: EventLoopFuture<Void>
    if let message {
      var buffer = channel.allocator.buffer(capacity: message.utf8.count + 20)
      buffer.writeString("descent serve: \(message)\r\n")
      sent = channel.writeAndFlush(SSHChannelData(type: .stdErr, data: .byteBuffer(buffer)))
    } else {
      sent = channel.eventLoop.makeSucceededVoidFuture()
    }
    sent.assumeIsolated().whenComplete { _ in
      channel.triggerUserOutboundEvent(SSHChannelRequestEvent.ExitStatus(exitStatus: Int(status)), promise: nil)
      channel.close(promise: nil)
    }
  }

  private var ended = false

  /// Once per session: its working folder goes, and the connection may write its log line.
  private func endSession() {
    guard !ended, child == nil || exitStatus != nil else { return }
    ended = true
    reaper?.cancel()
    if let pid = child?.pid { connection.update { if $0.dashboard == pid { $0.dashboard = nil } } }
    if let folder { try? FileManager.default.removeItem(atPath: folder) }
    connection.update { $0.sessions -= 1 }
    server.connectionMayEnd(connection)
  }

  private func environment(term: String) -> [String] {
    var variables = ["TERM": term, "PATH": "/usr/local/bin:/usr/bin:/bin"]
    let own = ProcessInfo.processInfo.environment
    // The teacher's own themes and lessons (XDG_CONFIG_HOME, or ~/.config) are there for everyone.
    for name in ["HOME", "XDG_CONFIG_HOME"] { variables[name] = own[name] }
    if locale.isEmpty {
      // A client that sends no locale gets the server's, as sshd gives the system's.
      for (name, value) in own where Self.isLocale(name, value) { variables[name] = value }
    } else {
      variables.merge(locale) { $1 }
    }
    return variables.map { "\($0)=\($1)" }.sorted()
  }

  /// The longest terminal type taken.
  static let longestTermName = 64

  /// `xterm-256color` and the like: a terminfo name, nothing else.
  static func isTermName(_ term: String) -> Bool {
    !term.isEmpty && term.count <= longestTermName
      && term.unicodeScalars.allSatisfy {
        $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.+".unicodeScalars.contains($0))
      }
  }

  /// What is wrong with a terminal type that `isTermName` refuses, in one line.
  static func termProblem(_ term: String) -> String {
    guard !term.isEmpty else {
      return "the client sent no terminal type (TERM is not set where ssh runs): "
        + "set it, e.g. TERM=xterm-256color ssh -t -p PORT HOST"
    }
    let shown = term.unicodeScalars.prefix(longestTermName).map { $0.escaped(asASCII: true) }.joined()
    return "the terminal type \"\(shown)\" is not a terminfo name "
      + "(letters, digits and -_.+, at most \(longestTermName)): set TERM to one, e.g. xterm-256color"
  }

  /// LANG and LC_*, with a plain locale name as the value.
  static func isLocale(_ name: String, _ value: String) -> Bool {
    (name == "LANG"
      || name.hasPrefix("LC_") && name.count <= 20 && name.dropFirst(3).allSatisfy { $0.isUppercase || $0 == "_" })
      && value.count <= 64
      && value.unicodeScalars.allSatisfy {
        $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.@".unicodeScalars.contains($0))
      }
  }
}

/// Copies the dashboard's output to the client's channel, and says when it ends (the terminal
/// reads EIO once the dashboard has exited).
final class TerminalOutput: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer

  private let session: Channel
  private let closed: () -> Void

  init(session: Channel, closed: @escaping () -> Void) {
    self.session = session
    self.closed = closed
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    session.write(SSHChannelData(type: .channel, data: .byteBuffer(unwrapInboundIn(data))), promise: nil)
  }

  func channelReadComplete(context: ChannelHandlerContext) {
    session.flush()
    if !session.isWritable { context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in } }
  }

  func channelInactive(context: ChannelHandlerContext) {
    session.flush()
    closed()
  }

  func errorCaught(context: ChannelHandlerContext, error: Error) {
    context.close(promise: nil)
  }
}
