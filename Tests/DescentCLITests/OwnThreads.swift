import Dispatch
import Foundation
import Testing

/// Runs each test of a suite on threads outside Swift's cooperative pool. These tests wait on
/// the real binary (a screen in tmux, a process's exit) with blocking calls; on the pool, which has
/// a thread a core, two such waits on a 2-core machine held every other test back, and the suite
/// spent 40% of its time with the processor idle. At most two test cases a core run at once: with
/// three, the whole run took longer, the dashboards they drive competing for the processor.
///
/// It is a test trait too: the testing library applies a recursive suite trait to each test
/// function as one (and stops on one that is not).
struct OwnThreads: SuiteTrait, TestTrait, TestScoping {
  var isRecursive: Bool { true }

  func provideScope(
    for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
  ) async throws {
    // Only test cases hold a place: a suite holding one while its cases waited for theirs could
    // take every place.
    guard testCase != nil else { return try await function() }
    await Self.places.take()
    do {
      try await withTaskExecutorPreference(BlockingExecutor.shared) { try await function() }
    } catch {
      await Self.places.give()
      throw error
    }
    await Self.places.give()
  }

  private static let places = Places(ProcessInfo.processInfo.activeProcessorCount * 2)
}

/// A counting semaphore for tasks: `take` waits, suspended, for a free place.
private actor Places {
  private var free: Int
  private var waiting: [CheckedContinuation<Void, Never>] = []

  init(_ count: Int) { free = count }

  func take() async {
    if free > 0 {
      free -= 1
      return
    }
    await withCheckedContinuation { waiting.append($0) }
  }

  func give() {
    if waiting.isEmpty {
      free += 1
    } else {
      waiting.removeFirst().resume()
    }
  }
}

extension SuiteTrait where Self == OwnThreads {
  /// The suite's tests wait on other processes, blocking their thread: see `OwnThreads`.
  static var ownThreads: Self { Self() }
}

/// A task executor on a concurrent dispatch queue of its own, which adds threads while its threads
/// are blocked (on Linux over a second or so; the cooperative pool never does).
final class BlockingExecutor: TaskExecutor {
  static let shared = BlockingExecutor()
  private let queue = DispatchQueue(label: "descent tests that wait", attributes: .concurrent)

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let executor = asUnownedTaskExecutor()
    queue.async { job.runSynchronously(on: executor) }
  }
}
