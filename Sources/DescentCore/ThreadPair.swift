import Dispatch
import Foundation
import Synchronization

/// Runs `body(0)` on this thread and `body(1)` on a second one at the same time, and returns
/// when both are done: `DispatchQueue.concurrentPerform(iterations: 2)` for a training step.
///
/// A step of 200 points and 50 units takes some 20 µs a half, and waking a sleeping pool
/// thread can take longer than that (on a virtual machine most of all): `concurrentPerform`
/// then ran both halves on the calling thread. The second thread here waits for the next half
/// by watching a counter for a while after each one, so back-to-back steps find it awake; it
/// sleeps once nothing has come for a millisecond. When it has not started the second half by
/// the time the first is done (asleep, or another process has its core), or another trainer is
/// using it, both halves run here, one after the other: the same numbers either way.
func onTwoThreads(_ body: (Int) -> Void) {
  guard ThreadPair.shared.claim() else {
    body(0)
    body(1)
    return
  }
  defer { ThreadPair.shared.release() }
  withoutActuallyEscaping(body) { ThreadPair.shared.run($0) }
}

/// The second thread of `onTwoThreads`, one for the process.
private final class ThreadPair: @unchecked Sendable {
  static let shared = ThreadPair()

  /// Whether a caller holds the pair.
  private let busy = Atomic<Bool>(false)
  /// Steps posted (numbered from 1); the last step whose second half someone took (the second
  /// thread, or the caller when it got there first); the last the second thread finished.
  private let posted = Atomic<Int>(0)
  private let taken = Atomic<Int>(0)
  private let finished = Atomic<Int>(0)
  /// Set by the second thread before it sleeps on `wake`, and by the caller before it sleeps
  /// on `woken` waiting for the second half.
  private let sleeping = Atomic<Bool>(false)
  private let wake = DispatchSemaphore(value: 0)
  private let callerSleeping = Atomic<Bool>(false)
  private let woken = DispatchSemaphore(value: 0)
  /// The half in hand: written before `posted` counts it, read after; the caller waits for
  /// `finished` before it returns, so the closure never outlives its call.
  nonisolated(unsafe) private var job: ((Int) -> Void)?
  /// How long the second thread watches for the next half before it sleeps, and the caller for
  /// the end of the second half (longer means the second thread was put aside: the caller then
  /// sleeps, so its core can run it).
  private static let watchNanoseconds: UInt64 = 1_000_000
  private static let waitNanoseconds: UInt64 = 50_000

  private init() {
    let thread = Thread { [self] in loop() }
    thread.name = "descent second thread"
    thread.start()
  }

  func claim() -> Bool { busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged }
  func release() { busy.store(false, ordering: .releasing) }

  func run(_ body: @escaping (Int) -> Void) {
    job = body
    let number = posted.add(1, ordering: .sequentiallyConsistent).newValue
    if sleeping.exchange(false, ordering: .sequentiallyConsistent) { wake.signal() }
    body(0)
    // The second thread has not started the other half (it was asleep, or another process has
    // its core): do it here rather than wait.
    if taken.compareExchange(expected: number - 1, desired: number, ordering: .sequentiallyConsistent).exchanged {
      body(1)
      job = nil
      return
    }
    let since = DispatchTime.now().uptimeNanoseconds
    while finished.load(ordering: .acquiring) != number {
      guard DispatchTime.now().uptimeNanoseconds - since > Self.waitNanoseconds else { continue }
      callerSleeping.store(true, ordering: .sequentiallyConsistent)
      if finished.load(ordering: .sequentiallyConsistent) != number { woken.wait() }
      callerSleeping.store(false, ordering: .sequentiallyConsistent)
    }
    job = nil
  }

  private func loop() {
    var seen = 0
    while true {
      var since = DispatchTime.now().uptimeNanoseconds
      while posted.load(ordering: .acquiring) == seen {
        // Watching gives way to any other thread that wants this core (the caller's own when
        // both share one): with the core idle, sched_yield returns at once.
        sched_yield()
        guard DispatchTime.now().uptimeNanoseconds - since > Self.watchNanoseconds else { continue }
        // Nothing for a while: sleep. The caller sees `sleeping` and signals, or this thread
        // sees the new half before it waits (both at worst: one wake-up too many, harmless).
        sleeping.store(true, ordering: .sequentiallyConsistent)
        if posted.load(ordering: .sequentiallyConsistent) == seen { wake.wait() }
        sleeping.store(false, ordering: .sequentiallyConsistent)
        since = DispatchTime.now().uptimeNanoseconds
      }
      seen = posted.load(ordering: .acquiring)
      guard taken.compareExchange(expected: seen - 1, desired: seen, ordering: .sequentiallyConsistent).exchanged
      else { continue }  // the caller did it
      job?(1)
      finished.store(seen, ordering: .sequentiallyConsistent)
      if callerSleeping.exchange(false, ordering: .sequentiallyConsistent) { woken.signal() }
    }
  }
}

/// The cores this process may run on: those of its CPU affinity (`taskset`, a container's
/// cpuset), as Linux lists them in /proc/self/status, not every core the machine has. Two
/// threads held to one core would only take turns.
public let usableCores: Int = {
  let all = ProcessInfo.processInfo.activeProcessorCount
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") })
  else { return all }
  // A hexadecimal mask in groups of eight digits: "Cpus_allowed:\t00000000,00000003".
  let digits = line.dropFirst("Cpus_allowed:".count).filter(\.isHexDigit)
  let count = digits.reduce(0) { $0 + (Int(String($1), radix: 16) ?? 0).nonzeroBitCount }
  return count > 0 ? min(count, all) : all
}()
