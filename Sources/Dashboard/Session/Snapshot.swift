import DescentCore

/// An immutable picture of training, posted by the trainer thread for the UI to draw.
public struct Snapshot: Sendable {
  /// Counts restarts, so the UI knows when the network's shape may have changed.
  public var run: Int
  public var iteration: Int
  /// Iterations over the whole session, across restarts.
  public var totalIterations: Int
  public var state: TrainingState
  public var settings: Settings
  /// The training loss and accuracy of `parameters`, with `lambda` as it was then.
  public var loss: Double?
  public var accuracy: Double?
  /// The parameters `loss` and the accuracies were worked out from (they can lag `iteration` by
  /// up to a tenth of a second while running).
  public var measuredNetwork: Network
  public var lossLambda: Double
  /// The penalty λ weighed when `loss` was worked out.
  public var lossRegularization = Regularization.l2
  public var testLoss: Double?
  public var testAccuracy: Double?
  public var iterationsPerSecond: Double
  public var history: LossHistory
  /// The parameters the boundary is drawn from: at the last multiple of "redraw every", or the
  /// current ones while paused.
  public var boundaryNetwork: Network
  public var boundaryIteration: Int
  public var data: Dataset
  public var test: Dataset?
  /// The plotted region: the points' range, padded. It stays put while points are added inside
  /// it by hand, so the plot does not jump under the mouse.
  public var bounds: PlotBounds
  /// Changes whenever the points change (new data, a point added or removed).
  public var dataVersion = 0
  /// Classification: how the training points' classes fall (per-class accuracy, confusion).
  public var confusion: ConfusionMatrix? = nil
  /// Regression: the root mean squared error on the training and test points, in place of accuracy.
  public var rmse: Double? = nil
  public var testRMSE: Double? = nil
  /// The logistic-regression baseline on the same points, while it is on show (`l`).
  public var baseline: LogisticRegression?
  public var baselineAccuracy: Double?
  public var baselineTestAccuracy: Double?
  /// Every loss of the session, for loss.csv (shared, growing; nil for a sweep panel).
  public var lossLog: LossLog? = nil
  /// The decision regions of `boundaryNetwork` over `bounds`, worked out by the trainer for the
  /// plot size the screen asked for (`TrainingSession.showRegions`).
  public var regions: BoundaryLayer? = nil
  /// Whether the regions and the side views' figures are the trainer's job: then the screen
  /// draws the ones posted here and never works them out itself (a large network's grid takes
  /// seconds).
  public var figuresFromTrainer = false
  /// The points one a cell, for the same plot size as `regions`.
  public var points: PointCells? = nil
  /// What the side view on screen asked for (`TrainingSession.showFigure`), for `boundaryNetwork`.
  public var figure: Figure? = nil
  /// The step taken apart for the code view and the inspector, when they ask (`Command.trace`).
  public var trace: TraceReply? = nil
}

extension Snapshot {
  /// The state of a headless run that has finished (for `descent export`): the trainer's
  /// parameters, losses and accuracies, the loss history it made, and the baseline if fitted.
  public static func finished(
    trainer: Trainer, history: LossHistory, settings: Settings, baseline: LogisticRegression? = nil
  ) -> Snapshot {
    Snapshot(
      run: 0, iteration: trainer.iteration, totalIterations: trainer.iteration, state: .done, settings: settings,
      loss: trainer.loss(), accuracy: trainer.network.accuracy(on: trainer.data), measuredNetwork: trainer.network,
      lossLambda: trainer.config.lambda, lossRegularization: trainer.config.regularization,
      testLoss: trainer.testLoss(),
      testAccuracy: trainer.test.map { trainer.network.accuracy(on: $0) }, iterationsPerSecond: 0, history: history,
      boundaryNetwork: trainer.network, boundaryIteration: trainer.iteration, data: trainer.data, test: trainer.test,
      bounds: PlotBounds(trainer.data, test: trainer.test), baseline: baseline,
      baselineAccuracy: baseline?.accuracy(on: trainer.data),
      baselineTestAccuracy: trainer.test.flatMap { test in baseline.map { $0.accuracy(on: test) } }
    )
    .scored(trainer.network)
  }

  /// The snapshot with the figures its task reads: RMSE in place of accuracy for regression, the
  /// confusion matrix for classes.
  func scored(_ network: Network) -> Snapshot {
    var scored = self
    if network.task == .regression {
      (scored.accuracy, scored.testAccuracy) = (nil, nil)
      scored.rmse = network.rmse(on: data)
      scored.testRMSE = test.map { network.rmse(on: $0) }
    } else {
      scored.confusion = network.confusion(on: data)
    }
    return scored
  }

  /// A snapshot of a trainer's current state, as the engine would post it (for benchmarks).
  public static func forBenchmark(trainer: Trainer, iteration: Int) -> Snapshot {
    var history = LossHistory()
    for i in 0...iteration { history.train.append(i, 0.5 / Double(i + 1) + 0.07) }
    var snapshot = finished(trainer: trainer, history: history, settings: Settings())
    snapshot.state = .running
    return snapshot
  }
}
