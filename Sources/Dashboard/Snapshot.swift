import DescentCore

/// What the trainer is doing.
public enum TrainingState: Sendable, Equatable {
  case running
  case paused
  /// A parameter or the loss stopped being finite at this iteration.
  case diverged(at: Int)
  /// The requested number of passes is done.
  case done
}

/// The knobs the dashboard can turn while it runs.
public struct Settings: Sendable, Equatable {
  public var setup: RunSetup
  /// Publish a new boundary every this many iterations.
  public var redrawEvery = 100
  /// Iterations per second; infinity is as fast as the machine goes. The default, 1000, shows
  /// the post's 20,000 passes in 20 seconds, slow enough to watch the boundary form.
  public var speed = 1000.0
  /// Stop (state `done`) after this many iterations of a run.
  public var passes = 20000

  public init(setup: RunSetup = .post) { self.setup = setup }

  public func value(of knob: Knob) -> Double {
    switch knob {
    case .hidden: return Double(setup.hidden)
    case .epsilon: return setup.training.epsilon
    case .lambda: return setup.training.lambda
    case .redraw: return Double(redrawEvery)
    case .speed: return speed
    }
  }

  public mutating func set(_ knob: Knob, _ value: Double) {
    switch knob {
    case .hidden: setup.hidden = Int(value)
    case .epsilon: setup.training.epsilon = value
    case .lambda: setup.training.lambda = value
    case .redraw: redrawEvery = Int(value)
    case .speed: speed = value
    }
  }
}

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
  public var parameters: Network
  public var lossLambda: Double
  public var testLoss: Double?
  public var testAccuracy: Double?
  public var iterationsPerSecond: Double
  public var history: LossHistory
  /// The parameters the boundary is drawn from: at the last multiple of "redraw every", or the
  /// current ones while paused.
  public var network: Network
  public var boundaryIteration: Int
  public var data: Dataset
  public var test: Dataset?
}

extension Settings {
  /// The `descent` command line that recreates this setup: only what differs from the defaults.
  public var commandLine: String {
    let setup = self.setup
    let defaults = RunSetup()
    var words = ["descent"]
    switch setup.source {
    case .generated(let kind): if kind != .moons { words += ["--dataset", kind.rawValue] }
    case .file(let path): words += ["--data", path]
    }
    if setup.samples != defaults.samples, case .generated = setup.source { words += ["--samples", "\(setup.samples)"] }
    if let noise = setup.noise { words += ["--noise", "\(noise)"] }
    if case .generated(let kind) = setup.source, kind.hasClassCount { words += ["--classes", "\(setup.classes)"] }
    if setup.seed != 0 { words += ["--seed", "\(setup.seed)"] }
    if setup.testFraction > 0 { words += ["--test-fraction", "\(setup.testFraction)"] }
    if setup.hidden != defaults.hidden { words += ["--hidden", "\(setup.hidden)"] }
    if setup.layers != defaults.layers { words += ["--layers", "\(setup.layers)"] }
    if setup.activation != defaults.activation { words += ["--activation", setup.activation.rawValue] }
    let t = setup.training
    if t.epsilon != 0.01 { words += ["--epsilon", formatRate(t.epsilon)] }
    if t.lambda != 0.01 { words += ["--lambda", formatRate(t.lambda)] }
    if let batch = t.batchSize { words += ["--batch-size", "\(batch)"] }
    if t.anneal != 0 { words += ["--anneal", "\(t.anneal)"] }
    if t.gradient != .sum { words += ["--gradient", t.gradient.rawValue] }
    if let path = setup.initialModel { words += ["--init", path] }
    if redrawEvery != 100 { words += ["--redraw-every", "\(redrawEvery)"] }
    if speed != 1000 { words += ["--speed", speed.isInfinite ? "max" : "\(Int(speed))"] }
    return words.joined(separator: " ")
  }
}

extension Snapshot {
  /// A snapshot of a trainer's current state, as the engine would post it (for benchmarks).
  public static func forBenchmark(trainer: Trainer, iteration: Int) -> Snapshot {
    var history = LossHistory()
    for i in 0...iteration { history.train.append(i, 0.5 / Double(i + 1) + 0.07) }
    return Snapshot(
      run: 0, iteration: trainer.iteration, totalIterations: trainer.iteration, state: .running,
      settings: Settings(), loss: trainer.loss(), accuracy: trainer.network.accuracy(on: trainer.data),
      parameters: trainer.network, lossLambda: trainer.config.lambda, testLoss: nil, testAccuracy: nil,
      iterationsPerSecond: 0, history: history, network: trainer.network, boundaryIteration: trainer.iteration,
      data: trainer.data, test: nil)
  }
}
