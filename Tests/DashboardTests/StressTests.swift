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
    settings.setup.weightSeed = 0
    let (train, test) = try RunSetup.post.loadData()
    let session = TrainingSession(settings: settings, train: train, test: test)
    try session.start()

    // The storm blows for 3 seconds, and on until 30 snapshots have been checked and 500 commands
    // sent (a slow or loaded machine, or the thread sanitizer, does fewer a second), 60 s at most.
    let storm = DispatchGroup()
    let sent = SentCount()
    let calm = Locked(false)
    // A queue of its own (a thread of its own): the global pool can be taken by other tests waiting.
    DispatchQueue(label: "storm").async(group: storm) { [settings] in
      var rng = SystemRandomNumberGenerator()
      var current = settings
      let start = DispatchTime.now().uptimeNanoseconds
      while !calm.withLock({ $0 }) && DispatchTime.now().uptimeNanoseconds - start < 60_000_000_000 {
        // Each command changes one thing, as a key or a click does: the knobs as whole settings, or a verb.
        var changed = current
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: changed.setup.training.epsilon = Knob.epsilon.steps.prefix(16).randomElement(using: &rng)!
        case 1: changed.setup.training.lambda = Knob.lambda.steps.prefix(15).randomElement(using: &rng)!
        case 2: changed.setup = Self.randomSetup(&rng)
        case 3: changed.redrawEvery = Int.random(in: 1...500, using: &rng)
        case 4: changed.setup.training.batchSize = [nil, 1, 7, 50].randomElement(using: &rng)!
        case 5: changed.setup.training.anneal = [0, 0.001, 1].randomElement(using: &rng)!
        case 6: changed.speed = [100, 5000, .infinity].randomElement(using: &rng)!
        default: changed.setup.weightSeed = UInt32.random(in: 1...1000, using: &rng)
        }
        let commands: [Command] = [
          .apply(changed),
          .addPoint(
            x: Double.random(in: -2...3, using: &rng), y: Double.random(in: -2...2, using: &rng),
            label: Int.random(in: 0...2, using: &rng)),
          .removePoint(index: Int.random(in: 0...300, using: &rng), dataVersion: Int.random(in: 0...20, using: &rng)),
          .showBaseline(Bool.random(using: &rng)),
          .pause, .resume, .step, .reset,
        ]
        let command = commands.randomElement(using: &rng)!
        if case .apply(let sent, _) = command { current = sent }
        session.send(command)
        sent.add()
        usleep(2000)  // about 400 a second
      }
    }

    var checked = 0
    let start = DispatchTime.now().uptimeNanoseconds
    while storm.wait(timeout: .now() + .milliseconds(5)) == .timedOut {
      if checked >= 30 && sent.value > 500 && DispatchTime.now().uptimeNanoseconds - start > 3_000_000_000 {
        calm.withLock { $0 = true }
      }
      guard let snapshot = session.snapshots.take() else { continue }
      checked += 1
      if let loss = snapshot.loss {
        #expect(
          loss
            == snapshot.measuredNetwork.loss(
              on: snapshot.data, lambda: snapshot.lossLambda, regularization: snapshot.lossRegularization))
        #expect(snapshot.accuracy == snapshot.measuredNetwork.accuracy(on: snapshot.data))
      }
      if let baseline = snapshot.baseline { #expect(snapshot.baselineAccuracy == baseline.accuracy(on: snapshot.data)) }
      #expect(snapshot.boundaryNetwork.classes >= snapshot.data.classes)
      #expect(snapshot.boundaryIteration <= snapshot.iteration)
      #expect(snapshot.history.train.buckets.count <= snapshot.history.train.capacity)
    }
    #expect(sent.value > 500, "sent \(sent.value) commands")
    #expect(checked > 20, "checked \(checked) snapshots")

    // Still answering: back on the post's setup (the storm's last one may diverge at any
    // epsilon), resume at full speed and see it move.
    session.send(.apply(settings, restart: "calm"))
    session.send(.showBaseline(false))
    session.send(.resume)
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

extension StressTests {
  /// A random shape and data set, as the exercise and data knobs make them.
  static func randomSetup(_ rng: inout SystemRandomNumberGenerator) -> RunSetup {
    var setup = RunSetup.post
    setup.hidden = Int.random(in: 1...8, using: &rng)
    setup.layers = Int.random(in: 1...2, using: &rng)
    setup.activation = Activation.allCases.randomElement(using: &rng)!
    let kind = DatasetKind.classification.randomElement(using: &rng)!
    setup.features = InputFeatures.presets(with: .raw).randomElement(using: &rng)!
    setup.training.optimizer.kind = OptimizerKind.allCases.randomElement(using: &rng)!
    setup.training.regularization = Regularization.allCases.randomElement(using: &rng)!
    setup.training.dropout = [0, 0.3].randomElement(using: &rng)!
    setup.source = .generated(kind)
    setup.samples = [50, 200].randomElement(using: &rng)!
    setup.classes = kind.hasClassCount ? Int.random(in: 2...4, using: &rng) : 2
    return setup
  }
}

/// A counter shared with the storm thread.
final class SentCount: Sendable {
  private let count = Locked(0)
  func add() { count.withLock { $0 += 1 } }
  var value: Int { count.withLock { $0 } }
}
