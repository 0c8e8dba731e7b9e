import DescentCore

/// The trainers of the hidden-size sweep and of the optimizer race: one session per panel, each on
/// its own thread (so the panels share the cores), started when the view opens and stopped when
/// it closes. Like the main run, the panels can be held at an iteration boundary, so a recording
/// and its replay apply each event at the same iteration of every panel.
struct SweepSessions {
  private var sessions: [TrainingSession] = []
  /// How many holds were sent to the panels on show, and the snapshot each posted at the last.
  private var holdsSent = 0
  private var held: [Snapshot?] = []

  /// How many panels are training.
  var count: Int { sessions.count }

  /// Starts one session per panel on `settings` and these points, each keeping its own hidden
  /// size or optimizer; `hold` stops each at that iteration before its first step.
  mutating func start(
    panels: [PanelRule], settings: Settings, train: Dataset, test: Dataset?, paused: Bool = false, hold: Int? = nil
  ) {
    var settings = settings
    settings.passes = max(settings.passes, 1)
    launch(
      panels.map { TrainingSession(settings: settings, train: train, test: test, paused: paused, panel: $0) },
      hold: hold)
  }

  /// Starts one session per panel of a card, each on its own settings (and its own points when
  /// they differ from `settings`').
  mutating func start(
    panels: [Settings], settings: Settings, train: Dataset, test: Dataset?, paused: Bool = false, hold: Int? = nil
  ) {
    launch(
      panels.map { panel in
        let data =
          panel.setup.sameData(as: settings.setup) ? (train, test) : ((try? panel.setup.loadData()) ?? (train, test))
        return TrainingSession(settings: panel, train: data.0, test: data.1, paused: paused)
      }, hold: hold)
  }

  private mutating func launch(_ made: [TrainingSession], hold: Int?) {
    stop()
    sessions = made
    // A hold queued before the thread starts is applied before its first step.
    if let hold { self.hold(at: Array(repeating: hold, count: made.count)) }
    for session in sessions { session.start() }
  }

  /// Sends a command to every panel.
  func send(_ command: Command) {
    for session in sessions { session.send(command) }
  }

  /// Stops each panel before its iteration in `at` (now if it has passed; 0: now), or lets it go
  /// on where `at` has no entry or nil.
  mutating func hold(at iterations: [Int?]) {
    for (i, session) in sessions.enumerated() { session.send(.hold(at: i < iterations.count ? iterations[i] : nil)) }
    holdsSent += 1
    held = Array(repeating: nil, count: sessions.count)
  }

  /// Every panel's snapshot where the last hold stopped it, once all have stopped.
  mutating func heldSnapshots() -> [Snapshot]? {
    for (i, session) in sessions.enumerated() {
      if let stop = session.holds.take(), stop.number == holdsSent { held[i] = stop.snapshot }
    }
    let all = held.compactMap { $0 }
    return all.count == sessions.count ? all : nil
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
    holdsSent = 0
    held = []
  }
}
