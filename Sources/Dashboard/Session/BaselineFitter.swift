import DescentCore
import Dispatch

/// Fits the logistic-regression baseline on a queue of its own, so training never waits for it:
/// one fit at a time, of the newest points asked for.
final class BaselineFitter: Sendable {
  struct Fit: Sendable {
    var version: Int
    var model: LogisticRegression
    var accuracy: Double
    var testAccuracy: Double?
  }

  private let queue = DispatchQueue(label: "descent.baseline", qos: .utility)
  private let state = Locked<(latest: Fit?, busy: Bool)>((nil, false))
  /// Called when a fit is done (the trainer wakes to post it).
  private let done: @Sendable () -> Void

  init(done: @escaping @Sendable () -> Void) { self.done = done }

  /// The newest finished fit.
  var latest: Fit? { state.withLock { $0.latest } }

  /// Fits these points (version `version`) on `features` unless a fit is running or they are
  /// fitted already.
  func request(version: Int, train: Dataset, test: Dataset?, features: InputFeatures = .raw) {
    let start = state.withLock { state -> Bool in
      guard !state.busy, state.latest?.version != version || state.latest?.model.features != features else {
        return false
      }
      state.busy = true
      return true
    }
    guard start else { return }
    queue.async { [self] in
      let model = LogisticRegression.fitCV(train, features: features)
      let fit = Fit(
        version: version, model: model, accuracy: model.accuracy(on: train),
        testAccuracy: test.map { model.accuracy(on: $0) })
      state.withLock { $0 = (fit, false) }
      done()
    }
  }
}
