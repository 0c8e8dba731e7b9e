import NIOConcurrencyHelpers

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Every dashboard process the server has started and not yet reaped, so that stopping the
/// server (or losing a client) leaves none behind.
///
/// This target locks with NIO's pthread lock, not `Synchronization.Mutex`: the thread sanitizer
/// cannot see the latter on Linux and reported the event loop's reaping as racing `stopAll`.
final class Children: Sendable {
  private struct State {
    var live: Set<pid_t> = []
    /// Exit statuses reaped by `signal` or `stopAll`, for the session that asks next.
    var reaped: [pid_t: Int32] = [:]

    /// Reaps `pid` if it has exited, keeping its status for `reap`; whether it had.
    mutating func collect(_ pid: pid_t) -> Bool {
      var status: Int32 = 0
      guard waitpid(pid, &status, WNOHANG) == pid else { return false }
      reaped[pid] = shellStatus(status)
      live.remove(pid)
      return true
    }
  }
  private let state = NIOLockedValueBox(State())

  var count: Int { state.withLockedValue { $0.live.count } }

  func add(_ pid: pid_t) { state.withLockedValue { _ = $0.live.insert(pid) } }

  /// The child's exit status as a shell reports it (128 + the signal for a killed one), or nil
  /// while it runs. Reaps it.
  func reap(_ pid: pid_t) -> Int32? {
    state.withLockedValue { state in
      if let status = state.reaped.removeValue(forKey: pid) { return status }
      guard state.live.contains(pid) else { return 255 }
      var status: Int32 = 0
      let result = waitpid(pid, &status, WNOHANG)
      if result == 0 { return nil }
      state.live.remove(pid)
      if result < 0 { return 255 }
      return shellStatus(status)
    }
  }

  /// Signals the child's whole process group (it leads its own session), if it still runs;
  /// one that has exited is reaped here instead, its status kept for `reap`. Returns whether it
  /// was signalled: the stop line counts those, and a kill on an exited child not yet reaped
  /// would succeed all the same. (One that exits between the two calls is still counted.)
  @discardableResult
  func signal(_ pid: pid_t, _ number: Int32) -> Bool {
    state.withLockedValue { state in
      guard state.live.contains(pid), !state.collect(pid) else { return false }
      return kill(-pid, number) == 0
    }
  }

  /// Hangs up on every child, waits up to `grace` seconds for them to exit, then kills the rest.
  /// Returns the ones it hung up on (not those that had exited by themselves).
  @discardableResult
  func stopAll(grace: Double) -> Set<pid_t> {
    // Copied under the lock, not shared: the event loop's reaping may shrink `live` in place
    // once this copy is let go, ordered only by a reference count the sanitizer cannot see.
    let pids = state.withLockedValue { Array($0.live) }
    let signalled = Set(pids.filter { signal($0, SIGHUP) })
    var waited = 0.0
    while waited < grace {
      let left = state.withLockedValue { state in
        for pid in state.live { _ = state.collect(pid) }
        return state.live.count
      }
      if left == 0 { break }
      usleep(20_000)
      waited += 0.02
    }
    state.withLockedValue { state in
      for pid in state.live {
        _ = kill(-pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        state.reaped[pid] = 128 + SIGKILL
      }
      state.live.removeAll()
    }
    return signalled
  }
}

/// A `waitpid` status as a shell reports it: the exit code, or 128 + the signal that killed it.
private func shellStatus(_ status: Int32) -> Int32 {
  let signal = status & 0x7f
  return signal == 0 ? (status >> 8) & 0xff : 128 + signal
}
