import DescentCore

/// The trainers of the hidden-size sweep and of the optimizer race: one session per panel, each on
/// its own thread (so the panels share the cores), started when the view opens and stopped when
/// it closes.
struct SweepSessions {
  private var sessions: [TrainingSession] = []

  /// Starts one session per panel on `settings` and these points, each keeping its own hidden
  /// size or optimizer.
  mutating func start(panels: [PanelRule], settings: Settings, train: Dataset, test: Dataset?) {
    stop()
    var settings = settings
    settings.passes = max(settings.passes, 1)
    sessions = panels.map { TrainingSession(settings: settings, train: train, test: test, panel: $0) }
    for session in sessions { session.start() }
  }

  /// Starts one session per panel of a card, each on its own settings (and its own points when
  /// they differ from `settings`').
  mutating func start(panels: [Settings], settings: Settings, train: Dataset, test: Dataset?) {
    stop()
    sessions = panels.map { panel in
      let data =
        panel.setup.sameData(as: settings.setup) ? (train, test) : ((try? panel.setup.loadData()) ?? (train, test))
      return TrainingSession(settings: panel, train: data.0, test: data.1)
    }
    for session in sessions { session.start() }
  }

  /// Sends a command to every panel.
  func send(_ command: Command) {
    for session in sessions { session.send(command) }
  }

  /// Asks each panel's trainer for its regions at the size of its plot.
  func showRegions(_ sizes: [RegionSize]) {
    for (session, size) in zip(sessions, sizes) { session.showRegions(size) }
  }

  /// The newest snapshot of each panel that has a new one, by panel.
  func take() -> [(Int, Snapshot)] {
    sessions.enumerated().compactMap { i, session in session.snapshots.take().map { (i, $0) } }
  }

  /// Lets the panels' threads go: they stop after their current step, without the screen
  /// waiting for them.
  mutating func stop() {
    for session in sessions { session.requestStop() }
    sessions = []
  }
}
