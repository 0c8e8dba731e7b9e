import DescentCore
import Dispatch
import Foundation
import Testing

@testable import Dashboard

@Suite("Concurrency under stress", .serialized)
struct StressTests {
  /// Hundreds of knob changes a second from another thread while training runs flat out; every
  /// snapshot must be internally consistent and the session must still answer and stop.
  @Test func knobStormKeepsSnapshotsConsistent() throws {
    var settings = Settings()
    settings.speed = .infinity
    settings.passes = 100_000_000
    let (train, test) = try RunSetup.post.loadData()
    let session = TrainingSession(settings: settings, train: train, test: test)
    try session.start()

    let storm = DispatchGroup()
    let sent = SentCount()
    DispatchQueue.global().async(group: storm) {
      var rng = SystemRandomNumberGenerator()
      let deadline = DispatchTime.now().uptimeNanoseconds + 3_000_000_000
      while DispatchTime.now().uptimeNanoseconds < deadline {
        let commands: [Command] = [
          .setEpsilon(Knob.epsilon.steps.prefix(16).randomElement(using: &rng)!),
          .setLambda(Knob.lambda.steps.prefix(15).randomElement(using: &rng)!),
          .setHidden(Int.random(in: 1...8, using: &rng)), .setRedrawEvery(Int.random(in: 1...500, using: &rng)),
          .pause, .resume, .step, .setSpeed([100, 5000, .infinity].randomElement(using: &rng)!), .reset,
          .reinitialize(seed: UInt32.random(in: 1...1000, using: &rng)),
        ]
        session.send(commands.randomElement(using: &rng)!)
        sent.add()
        usleep(2000)  // about 400 a second
      }
    }

    var checked = 0
    while storm.wait(timeout: .now() + .milliseconds(5)) == .timedOut {
      guard let snapshot = session.snapshots.take() else { continue }
      checked += 1
      if let loss = snapshot.loss {
        #expect(loss == snapshot.parameters.loss(on: snapshot.data, lambda: snapshot.lossLambda))
        #expect(snapshot.accuracy == snapshot.parameters.accuracy(on: snapshot.data))
      }
      #expect(snapshot.boundaryIteration <= snapshot.iteration)
      #expect(snapshot.history.train.buckets.count <= snapshot.history.train.capacity)
    }
    #expect(sent.value > 500, "sent \(sent.value) commands")
    #expect(checked > 20, "checked \(checked) snapshots")

    // Still answering: resume at full speed and see it move.
    session.send(.resume)
    session.send(.setSpeed(.infinity))
    session.send(.setEpsilon(0.01))
    let first = try #require(SessionTests.waitFor(session) { $0.state == .running })
    #expect(SessionTests.waitFor(session) { $0.totalIterations > first.totalIterations + 1000 } != nil)

    // And it stops: no deadlock.
    let stopped = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      session.stop()
      stopped.signal()
    }
    #expect(stopped.wait(timeout: .now() + 10) == .success)
  }
}

/// A counter shared with the storm thread.
final class SentCount: Sendable {
  private let count = Locked(0)
  func add() { count.withLock { $0 += 1 } }
  var value: Int { count.withLock { $0 } }
}
