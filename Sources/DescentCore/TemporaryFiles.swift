import Foundation

/// The temporary files being written, so that a signal that ends the process removes them
/// before it does (a `kill` during a large save must not leave a hidden file behind).
///
/// The paths live in fixed slots of plain bytes, so the signal handler reads them without
/// allocating or locking: only `unlink`, which is async-signal-safe.
public enum TemporaryFiles {
  private static let slots = 32
  private static let slotSize = Int(PATH_MAX) + 1
  /// Slot `i` holds a path (NUL-terminated) while `used[i]` is 1.
  nonisolated(unsafe) private static let paths = UnsafeMutablePointer<CChar>.allocate(capacity: slots * slotSize)
  nonisolated(unsafe) private static let used: UnsafeMutablePointer<sig_atomic_t> = {
    let used = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: slots)
    used.initialize(repeating: 0, count: slots)
    return used
  }()
  private static let lock = NSLock()

  static func register(_ path: String) {
    let bytes = Array(path.utf8CString)
    guard bytes.count <= slotSize else { return }
    lock.withLock {
      guard let free = (0..<slots).first(where: { used[$0] == 0 }) else { return }
      bytes.withUnsafeBufferPointer { (paths + free * slotSize).update(from: $0.baseAddress!, count: $0.count) }
      used[free] = 1
    }
  }

  static func unregister(_ path: String) {
    lock.withLock {
      for i in 0..<slots where used[i] != 0 && String(cString: paths + i * slotSize) == path { used[i] = 0 }
    }
  }

  /// Removes every registered file. Safe to call from a signal handler.
  public static func removeAll() {
    for i in 0..<slots where used[i] != 0 { unlink(paths + i * slotSize) }
  }

  /// The signals whose default action ends the process and that a handler can catch.
  public static let endingSignals: [Int32] =
    [
      SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGPOLL,
      SIGPWR, SIGSTKFLT, SIGSYS,
    ] + Array(34...64)  // the real-time signals, SIGRTMIN to SIGRTMAX on Linux

  /// For the commands without a dashboard: every ending signal removes the temporary files, then
  /// ends the process as it would have (same signal, same status). A closed pipe or an exceeded
  /// file-size limit becomes a write error the command reports (EPIPE, EFBIG), not a silent death.
  /// A signal the parent set to be ignored (`nohup`) stays ignored.
  public static func removeOnSignals() {
    signal(SIGPIPE, SIG_IGN)
    signal(SIGXFSZ, SIG_IGN)
    for number in endingSignals {
      var previous = sigaction()
      guard sigaction(number, nil, &previous) == 0 else { continue }
      // SIG_IGN is the handler address 1.
      if let handler = previous.__sigaction_handler.sa_handler, unsafeBitCast(handler, to: Int.self) == 1 { continue }
      var action = sigaction()
      action.__sigaction_handler.sa_handler = { number in
        TemporaryFiles.removeAll()
        signal(number, SIG_DFL)
        raise(number)
      }
      sigemptyset(&action.sa_mask)
      action.sa_flags = Int32(bitPattern: UInt32(SA_RESETHAND))
      sigaction(number, &action, nil)
    }
  }
}
