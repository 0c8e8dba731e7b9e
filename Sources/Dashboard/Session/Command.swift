import DescentCore

/// What the screen asks of a trainer: whole settings, or one of a few verbs.
public enum Command: Sendable, Equatable {
  /// Train with these settings. The trainer compares them with its own through the knob table: a
  /// change to a knob that restarts (or to the data or the weights' seed) starts a new run, marked
  /// on the loss chart with the knob's marker, or `restart` when given; other changes apply from
  /// the next step.
  case apply(Settings, restart: String? = nil)
  case pause
  case resume
  /// One iteration, then paused.
  case step
  /// The same seed again, from iteration 0.
  case reset
  /// A point of class `label` at these data coordinates; training carries on.
  case addPoint(x: Double, y: Double, label: Int)
  /// Takes away the training point at `index` of the points of `dataVersion` (ignored if the points
  /// have changed since).
  case removePoint(index: Int, dataVersion: Int)
  /// Fit the logistic-regression baseline (and keep it fitted to the data) or stop.
  case showBaseline(Bool)
  /// Stop before the iteration (of the session) `at`, or now if it has passed, and post a
  /// snapshot to `holds`, numbered with the count of holds so far; nil goes on. Recording and
  /// replaying apply each event there.
  case hold(at: Int?)
  /// Take apart the step from the network on screen for the code view and the inspector (worked
  /// out on the trainer's thread, posted with the snapshots), or stop (nil).
  case trace(TraceRequest?)

  /// Merges a newer command into this pending one where only the newest matters (settings, run or
  /// pause, the baseline); nil where both must run (steps, point edits, resets).
  func merging(_ newer: Command) -> Command? {
    switch (self, newer) {
    case (.apply(_, let label), .apply(let settings, let newLabel)):
      return .apply(settings, restart: newLabel ?? label)
    case (.pause, .pause), (.pause, .resume), (.resume, .pause), (.resume, .resume),
      (.showBaseline, .showBaseline), (.trace, .trace):
      return newer
    default:
      return nil
    }
  }
}
