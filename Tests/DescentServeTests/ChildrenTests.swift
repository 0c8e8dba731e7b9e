import Foundation
import Testing

@testable import DescentServe

@Suite("the dashboards the server started")
struct ChildrenTests {
  /// The server's stop and the event loop's reaping run on two threads: each child is reaped
  /// once, its status reaches whoever asks, and none is left. Under the thread sanitizer this is
  /// also the check that the two really take one lock.
  @Test func stoppingWhileTheEventLoopReapsLeavesNoChild() throws {
    let children = Children()
    var pids: [pid_t] = []
    // Kept open until the end: closing a child's terminal would hang up on it before the stop.
    var masters: [Int32] = []
    defer { masters.forEach { close($0) } }
    for _ in 0..<6 {
      let terminal = try PseudoTerminal.spawn(
        ["/bin/sleep", "30"], environment: [], size: WindowSize(columns: 80, rows: 24), directory: "/")
      masters.append(terminal.master)
      children.add(terminal.pid)
      pids.append(terminal.pid)
    }
    #expect(children.count == 6)

    let statuses = Statuses()
    let started = pids
    let reaper = Thread {
      var left = Set(started)
      while !left.isEmpty {
        for pid in left {
          if let status = children.reap(pid) {
            statuses.set(pid, status)
            left.remove(pid)
          }
        }
        sched_yield()
      }
    }
    reaper.start()
    usleep(5_000)
    #expect(children.stopAll(grace: 2) == Set(pids))
    let deadline = Date().addingTimeInterval(10)
    while statuses.count < 6 && Date() < deadline { usleep(1_000) }

    #expect(children.count == 0)
    for pid in pids {
      // `sleep` ends on the hang-up: 128 + SIGHUP, whichever thread reaped it.
      #expect(statuses.status(pid) == 128 + SIGHUP, "child \(pid)")
      #expect(kill(pid, 0) == -1 && errno == ESRCH, "child \(pid) is left")
    }
  }

  /// A dashboard that exited by itself before the stop is not counted as one the server ended
  /// (the stop line's count), whether the session's hang-up or the stop comes to it first, and its
  /// own exit status still reaches its session.
  @Test func aDashboardThatHasExitedIsNotHungUpOn() throws {
    let children = Children()
    let size = WindowSize(columns: 80, rows: 24)
    let running = try PseudoTerminal.spawn(["/bin/sleep", "30"], environment: [], size: size, directory: "/")
    let hungUp = try PseudoTerminal.spawn(["/bin/sh", "-c", "exit 3"], environment: [], size: size, directory: "/")
    let stopped = try PseudoTerminal.spawn(["/bin/sh", "-c", "exit 4"], environment: [], size: size, directory: "/")
    defer { [running.master, hungUp.master, stopped.master].forEach { close($0) } }
    for pid in [running.pid, hungUp.pid, stopped.pid] { children.add(pid) }
    // Until both have exited, without reaping them (as the event loop's 100 ms reaper may not have).
    for pid in [hungUp.pid, stopped.pid] {
      var info = siginfo_t()
      let deadline = Date().addingTimeInterval(10)
      repeat {
        info = siginfo_t()
        _ = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
        if info.si_signo == SIGCHLD { break }
        usleep(1_000)
      } while Date() < deadline
      #expect(info.si_signo == SIGCHLD, "child \(pid) did not exit")
    }
    #expect(children.count == 3)

    #expect(!children.signal(hungUp.pid, SIGHUP))
    #expect(children.reap(hungUp.pid) == 3)
    #expect(children.stopAll(grace: 2) == [running.pid])
    #expect(children.reap(stopped.pid) == 4)
    #expect(children.reap(running.pid) == 128 + SIGHUP)
    #expect(children.count == 0)
  }
}

/// The statuses the reaper thread saw, for the test's thread to read.
private final class Statuses: @unchecked Sendable {
  private let lock = NSLock()
  private var byPid: [pid_t: Int32] = [:]

  func set(_ pid: pid_t, _ status: Int32) { lock.withLock { byPid[pid] = status } }
  func status(_ pid: pid_t) -> Int32? { lock.withLock { byPid[pid] } }
  var count: Int { lock.withLock { byPid.count } }
}
