import DescentCore

/// The hidden-size sweep view's trainers: one session per hidden size, started when the view
/// opens and stopped when it closes. The main session is paused meanwhile (both cores go to the
/// sweep) and resumed when the view closes, if it was running.
struct SweepSessions {
  private var sessions: [TrainingSession] = []
  private var resumeMain = false

  var isRunning: Bool { !sessions.isEmpty }

  /// Starts or stops the sweep to match the model's view.
  mutating func reconcile(_ model: inout DashboardModel, main: TrainingSession, train: Dataset, test: Dataset?) {
    if model.view == .sweep && sessions.isEmpty {
      let data = model.snapshot.map { ($0.data, $0.test) } ?? (train, test)
      var settings = model.settings
      settings.passes = max(settings.passes, 1)
      sessions = model.sweepSizes.map {
        TrainingSession(settings: settings, train: data.0, test: data.1, fixedHidden: $0)
      }
      for session in sessions { session.start() }
      model.sweep = Array(repeating: nil, count: sessions.count)
      resumeMain = model.snapshot.map { $0.state == .running } ?? true
      main.send(.pause)
    } else if model.view != .sweep && !sessions.isEmpty {
      stop()
      model.sweep = []
      if resumeMain { main.send(.resume) }
    }
  }

  /// Sends a command where it belongs: in the sweep view, pause, resume and step go to the sweep
  /// only; everything else goes to the main session too, so it is in step when the view closes.
  func send(_ command: Command, view: ViewMode, main: TrainingSession) {
    let sweepOnly: Bool
    switch command {
    case .pause, .resume, .step: sweepOnly = view == .sweep
    default: sweepOnly = false
    }
    if !sweepOnly { main.send(command) }
    // The baseline is the same for every panel: the main session fits it once.
    if case .showBaseline = command { return }
    if view == .sweep { for session in sessions { session.send(command) } }
  }

  /// Takes the newest snapshot of each panel; true if any changed.
  func collect(into model: inout DashboardModel) -> Bool {
    guard !sessions.isEmpty, model.sweep.count == sessions.count else { return false }
    var changed = false
    for (i, session) in sessions.enumerated() {
      if let snapshot = session.snapshots.take() {
        model.sweep[i] = snapshot
        changed = true
      }
    }
    return changed
  }

  /// Lets the panels' threads go: they stop after their current step, without the screen
  /// waiting for them.
  mutating func stop() {
    for session in sessions { session.requestStop() }
    sessions = []
  }
}
