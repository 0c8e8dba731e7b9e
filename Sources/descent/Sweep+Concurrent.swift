import DescentCore
import Foundation

/// Runs `body` for `0 ..< count` on every core (each thread takes the next job, the costliest
/// first, so a large network does not start last and run alone), and hands each result to
/// `print` in index order as soon as it and those before it are done. The jobs must not share
/// mutable state: each trains its own network, so its numbers are the same to the last bit as
/// one after another. Stops at the first job that throws and rethrows it, after the results
/// before it.
func trainConcurrently(
  _ count: Int, threads: Int = usableCores, cost: (Int) -> Int,
  print: @escaping @Sendable (String) -> Void, _ body: @escaping @Sendable (Int) throws -> String
) throws {
  let order = (0..<count).sorted { cost($0) > cost($1) }
  let state = JobBoard(count: count, print: print)
  DispatchQueue.concurrentPerform(iterations: max(1, min(threads, count))) { _ in
    while let i = state.next() {
      state.finish(Result { try body(order[i]) }, at: order[i])
    }
  }
  if let error = state.firstError { throw error }
}

/// The shared state of `trainConcurrently`: which job is next, and the results not yet printed.
private final class JobBoard: @unchecked Sendable {
  private let lock = NSLock()
  private var taken = 0
  private var results: [Result<String, any Error>?]
  private var printed = 0
  private let print: @Sendable (String) -> Void
  private(set) var firstError: (any Error)?

  init(count: Int, print: @escaping @Sendable (String) -> Void) {
    results = Array(repeating: nil, count: count)
    self.print = print
  }

  /// The next job in cost order, or nil when all are taken or one failed.
  func next() -> Int? {
    lock.withLock {
      guard taken < results.count, firstError == nil else { return nil }
      taken += 1
      return taken - 1
    }
  }

  /// Records job `index`'s result, and prints every result in index order that now can be.
  func finish(_ result: Result<String, any Error>, at index: Int) {
    lock.withLock {
      results[index] = result
      while printed < results.count, firstError == nil, let done = results[printed] {
        switch done {
        case .success(let line): print(line)
        case .failure(let error): firstError = error
        }
        printed += 1
      }
    }
  }
}
