import Foundation
import Synchronization
import Testing

@testable import DescentCore

@Suite("The second thread of a step")
struct ThreadPairTests {
  /// The second half runs on another thread while the first is still running: the first waits
  /// (a while) for the second to start, which it could never see if both ran here one after
  /// the other. Other tests may hold the second thread at the moment (then a call runs both
  /// halves here), so one overlap in fifty tries is enough.
  @Test func theHalvesRunAtTheSameTime() {
    let started = Atomic<Bool>(false)
    var overlaps = 0
    for _ in 0..<50 {
      started.store(false, ordering: .sequentiallyConsistent)
      onTwoThreads { part in
        if part == 1 {
          started.store(true, ordering: .sequentiallyConsistent)
          return
        }
        let deadline = Date().addingTimeInterval(0.2)
        while !started.load(ordering: .sequentiallyConsistent) && Date() < deadline {}
        if started.load(ordering: .sequentiallyConsistent) { overlaps += 1 }
      }
    }
    #expect(overlaps > 0)
  }

  /// Each half runs exactly once a call, whoever takes the second, and the call returns only
  /// after both: many quick calls with the counts checked after each.
  @Test func eachHalfRunsOnceACall() {
    let counts = UnsafeMutablePointer<Int>.allocate(capacity: 2)
    defer { counts.deallocate() }
    counts.initialize(repeating: 0, count: 2)
    for call in 1...20_000 {
      onTwoThreads { part in counts[part] += 1 }
      if counts[0] != call || counts[1] != call {
        Issue.record("after call \(call): \(counts[0]) and \(counts[1])")
        return
      }
    }
  }
}
