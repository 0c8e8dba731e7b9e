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
  public var loss: Double?
  public var accuracy: Double?
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
