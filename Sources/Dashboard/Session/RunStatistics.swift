import DescentCore

/// The loss and accuracies over the whole data, worked out at most ten times a second while
/// running (a full pass over large data costs as much as a step), and again at once when the
/// points change.
struct RunStatistics {
  var loss: Double?
  var accuracy: Double?
  var testLoss: Double?
  var testAccuracy: Double?
  /// How the classes fall on the training points (classification), or the RMSE (regression).
  var confusion: ConfusionMatrix?
  var rmse: Double?
  var testRMSE: Double?
  /// The parameters the figures were worked out from, and λ and its penalty as they were then.
  private(set) var parameters: Network?
  private(set) var lambda = 0.0
  private(set) var regularization = Regularization.l2
  private var time: UInt64 = 0
  /// The run, iteration and data the figures are of.
  private(set) var key = (run: -1, iteration: -1, data: -1)

  static let interval: UInt64 = 100_000_000

  /// Works the figures out again if they are due; returns the new test loss when it did.
  mutating func update(
    trainer: Trainer, test: Dataset?, run: Int, dataVersion: Int, running: Bool, at now: UInt64
  ) -> Double? {
    let current = (run, trainer.iteration, dataVersion)
    // New points make the old figures wrong at once: work them out again whatever the time.
    let due = now - time >= Self.interval || !running || key.data != dataVersion
    guard due && current != key, trainer.network.isFinite else { return nil }
    parameters = trainer.network
    lambda = trainer.config.lambda
    regularization = trainer.config.regularization
    loss = trainer.loss()
    testLoss = trainer.testLoss()
    if trainer.network.task == .regression {
      (accuracy, testAccuracy, confusion) = (nil, nil, nil)
      rmse = trainer.network.rmse(on: trainer.data)
      testRMSE = test.map { trainer.network.rmse(on: $0) }
    } else {
      confusion = trainer.network.confusion(on: trainer.data)
      accuracy = confusion?.accuracy
      testAccuracy = test.map { trainer.network.accuracy(on: $0) }
      (rmse, testRMSE) = (nil, nil)
    }
    time = now
    key = current
    return testLoss
  }

  /// No figures: the run diverged.
  mutating func clear() {
    loss = nil
    accuracy = nil
    testLoss = nil
    testAccuracy = nil
    confusion = nil
    rmse = nil
    testRMSE = nil
  }
}
