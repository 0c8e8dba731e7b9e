import DescentCore

/// The hidden-size sweep view's trainers: one session per hidden size, started when the view
/// opens and stopped when it closes. Like the main run, the panels can be held at an iteration
/// boundary, so a recording and its replay apply each event at the same iteration of every panel.
struct SweepSessions {
  private var sessions: [TrainingSession] = []
  /// How many holds were sent to the panels on show, and the snapshot each posted at the last.
  private var holdsSent = 0
  private var held: [Snapshot?] = []

  /// How many panels are training.
  var count: Int { sessions.count }

  /// Starts one session per size on `settings` and these points; `hold` (one iteration per panel)
  /// stops them there before their first step.
  mutating func start(
    sizes: [Int], settings: Settings, train: Dataset, test: Dataset?, paused: Bool = false, hold: Int? = nil
  ) {
    var settings = settings
    settings.passes = max(settings.passes, 1)
    launch(
      sizes.map { TrainingSession(settings: settings, train: train, test: test, paused: paused, fixedHidden: $0) },
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
