import CPseudoTerminal

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A terminal's size in character cells.
struct WindowSize: Equatable, Sendable {
  var columns: Int
  var rows: Int

  /// The size a client asked for, kept within what a terminal can be (1 to 1000 each way).
  init(columns: Int, rows: Int) {
    self.columns = min(max(columns, 1), 1000)
    self.rows = min(max(rows, 1), 1000)
  }
}

/// A child process on its own pseudo-terminal, in its own session (so the terminal is its
/// controlling terminal and a hang-up reaches it), as sshd starts a login: the dashboard sees a
/// real terminal, and the server keeps only the master side.
struct PseudoTerminal: Sendable {
  struct Failed: Error, CustomStringConvertible {
    var description: String
  }

  /// The child's process id, which is also its process group and session.
  let pid: pid_t
  /// The master side; whoever owns this value closes it (the server hands it to the event loop).
  let master: Int32

  /// Starts `arguments[0]` with `arguments` and `environment` on a new pseudo-terminal of `size`,
  /// in `directory`.
  static func spawn(
    _ arguments: [String], environment: [String], size: WindowSize, directory: String
  ) throws -> PseudoTerminal {
    let master = descent_openpt()
    guard master >= 0 else { throw Failed(description: "no pseudo-terminal: \(String(cString: strerror(errno)))") }
    var name = [CChar](repeating: 0, count: 128)
    guard descent_grantpt(master) == 0, descent_unlockpt(master) == 0, descent_ptsname(master, &name, name.count) == 0
    else {
      close(master)
      throw Failed(description: "pseudo-terminal setup failed: \(String(cString: strerror(errno)))")
    }
    resize(master, to: size)

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    // The child opens the terminal after `setsid`: the first terminal a session leader opens
    // becomes its controlling terminal. Nothing else of the server's stays open in it.
    descent_spawn_chdir(&actions, directory)
    posix_spawn_file_actions_addopen(&actions, 0, name, O_RDWR, 0)
    posix_spawn_file_actions_adddup2(&actions, 0, 1)
    posix_spawn_file_actions_adddup2(&actions, 0, 2)
    descent_spawn_closefrom(&actions, 3)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // Default handlers and no blocked signals: the server's event loop threads block some.
    var none = sigset_t()
    sigemptyset(&none)
    var all = sigset_t()
    sigfillset(&all)
    sigdelset(&all, SIGKILL)
    sigdelset(&all, SIGSTOP)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(
      &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | descent_spawn_setsid())

    let cArguments = arguments.map { strdup($0) } + [nil]
    let cEnvironment = environment.map { strdup($0) } + [nil]
    defer {
      cArguments.forEach { free($0) }
      cEnvironment.forEach { free($0) }
    }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, arguments[0], &actions, &attributes, cArguments, cEnvironment)
    guard result == 0 else {
      close(master)
      throw Failed(description: "could not start \(arguments[0]): \(String(cString: strerror(result)))")
    }
    return PseudoTerminal(pid: pid, master: master)
  }

  /// Tells the terminal its new size; the kernel sends the child's process group SIGWINCH.
  static func resize(_ master: Int32, to size: WindowSize) {
    var window = winsize(ws_row: UInt16(size.rows), ws_col: UInt16(size.columns), ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(master, UInt(TIOCSWINSZ), &window)
  }
}
