import DescentCore
import Dispatch
import Foundation

/// Records a session's key and mouse events, or plays a recording back. Either way each event
/// is applied with the main run (and every sweep or card panel) stopped at an iteration boundary
/// (a `hold`): recording stops them where they are, replaying where the event was recorded. The run's numbers depend only on the
/// settings and the iteration each change came at, so a replay shows the same numbers at the
/// same iterations, whatever the pace, pauses or steps while it plays.
struct Recorder {
  enum Mode: Equatable {
    case off, recording, replaying
  }

  private(set) var mode = Mode.off
  private(set) var recording: Recording?
  /// Where the recording is written when it stops.
  private(set) var path: String?
  /// The session's iteration the recording starts from.
  private var origin = 0
  /// A replay's events still to come.
  private var pending: [RecordedEvent] = []
  /// How many holds were sent: a hold's snapshot counts.
  private var holdsSent = 0
  /// The main run's snapshot at the last hold, kept while the panels are still on their way.
  private var heldMain: Snapshot?
  /// A replay's events whose loss was not the recorded one, and the first such iteration.
  private(set) var mismatches = 0
  private var firstMismatch: Int?
  private var replayed = 0

  /// Why `R` does nothing in a served session: the file would be written on the server, in a
  /// folder that goes with the session, out of the student's reach.
  static let servedRefusal = "no recording over SSH: it would be written on the server"

  /// How long a recording waits for the trainer to stop (a step of a huge network is slow).
  static let patience = 5.0

  /// The keys that work during a replay: the pace, pausing, stepping, and what only changes the look.
  static let replayActions: [Action] = [
    .togglePause, .step, .faster, .slower, .quit, .toggleHelp, .closeHelp, .toggleScale, .cycleTheme, .resize,
  ]

  private mutating func hold(_ session: TrainingSession, at iteration: Int?) {
    session.send(.hold(at: iteration))
    holdsSent += 1
    heldMain = nil
  }

  /// The trainer stopped by the last hold, if it has: the snapshot there (kept until used).
  private mutating func held(_ session: TrainingSession) -> Snapshot? {
    if heldMain == nil, let held = session.holds.take(), held.number == holdsSent { heldMain = held.snapshot }
    return heldMain
  }

  /// Stops the trainer and the sweep's panels where they are and waits for them: the snapshots
  /// there, or nil if they took too long.
  private mutating func holdNow(_ session: TrainingSession, sweep: inout SweepSessions) -> (Snapshot, [Snapshot])? {
    hold(session, at: 0)
    sweep.hold(at: Array(repeating: 0, count: sweep.count))
    let start = DispatchTime.now().uptimeNanoseconds
    while Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < Self.patience {
      if let snapshot = held(session), let panels = sweep.heldSnapshots() {
        heldMain = nil
        return (snapshot, panels)
      }
      usleep(200)
    }
    return nil
  }

  // MARK: Recording

  /// `descent-recording-N.toml` in the current folder, the first N not taken.
  static func freePath() -> String {
    var n = 1
    while FileManager.default.fileExists(atPath: "descent-recording-\(n).toml") { n += 1 }
    return "descent-recording-\(n).toml"
  }

  /// Starts recording to `path` from the session's iteration `origin` (where the run restarted).
  mutating func startRecording(_ recording: Recording, to path: String, from origin: Int) {
    self.recording = recording
    self.path = path
    self.origin = origin
    mode = .recording
  }

  /// Gives up a recording just started (the trainer did not stop in time).
  mutating func cancelRecording() {
    mode = .off
    recording = nil
  }

  /// Stops the trainer (and the panels) for a key while recording: the model is to see the
  /// snapshot of that very iteration and carry the key's effects out there, then `noteEvent` and
  /// `release`. Nil if the trainer did not stop in time (the key is then not recorded).
  mutating func stopForKey(_ session: TrainingSession, sweep: inout SweepSessions) -> (Snapshot, [Snapshot])? {
    guard mode == .recording else { return nil }
    return holdNow(session, sweep: &sweep)
  }

  /// Writes down a key applied at `snapshot`'s iteration (and the panels' `panels`), with the
  /// seed `n` or `d` picked. (Quitting is not written down: a replay ends by giving the keys back.)
  mutating func noteEvent(_ key: Key, action: Action, at snapshot: Snapshot, panels: [Snapshot], seed: UInt32?) {
    guard mode == .recording, key.recorded != nil, action != .quit else { return }
    recording?.events.append(
      RecordedEvent(
        iteration: snapshot.totalIterations - origin, key: key, seed: seed, loss: snapshot.loss,
        panels: panels.map { RecordedEvent.PanelMark(iteration: $0.totalIterations, loss: $0.loss) }))
  }

  /// Lets the trainer and the panels go on after a key.
  mutating func release(_ session: TrainingSession, sweep: inout SweepSessions) {
    hold(session, at: nil)
    sweep.hold(at: [])
  }

  /// Stops recording and writes the file; returns the status bar's line.
  mutating func stopRecording(at iteration: Int) -> (text: String, kind: Message.Kind) {
    guard mode == .recording, let recording, let path else { return ("not recording", .error) }
    mode = .off
    do {
      try AtomicFile.write(recording.text, to: path)
      let events = recording.events.count
      return (
        "recorded \(events) event\(events == 1 ? "" : "s") over \((iteration - origin).formatted(.number)) iterations to \(path)",
        .done
      )
    } catch {
      return ("could not write the recording \(path): \(error)", .error)
    }
  }

  // MARK: Replaying

  /// Holds the trainer at iteration 0: call before the session starts. Before a replay, a sweep
  /// started while the start is set up waits at its iteration 0 too.
  mutating func holdAtStart(_ session: TrainingSession, replaying: Bool) {
    hold(session, at: 0)
    if replaying { mode = .replaying }
  }

  /// Starts playing `recording` back: the trainer (and the panels, if the sweep is on) goes on
  /// to the first event's iteration and stops there.
  mutating func startReplay(_ recording: Recording, session: TrainingSession, sweep: inout SweepSessions) {
    self.recording = recording
    pending = recording.events
    mode = .replaying
    hold(session, at: pending.first?.iteration ?? 0)
    holdPanels(&sweep)
  }

  /// Where a sweep started during a replay waits: at iteration 0, until the next event says.
  var sweepStart: Int? { mode == .replaying ? 0 : nil }

  /// Holds the panels at the next event's iterations, or lets them go when it has none.
  private func holdPanels(_ sweep: inout SweepSessions) {
    sweep.hold(at: pending.first?.panels.map(\.iteration) ?? [])
  }

  /// The next recorded event, once the trainer and the panels have stopped at its iterations,
  /// with the snapshot there and, if a loss there is not the recorded one, a line saying so.
  mutating func dueEvent(_ session: TrainingSession, sweep: inout SweepSessions) -> (
    event: RecordedEvent, snapshot: Snapshot, panels: [Snapshot], problem: String?
  )? {
    guard mode == .replaying, let event = pending.first, let snapshot = held(session),
      snapshot.totalIterations >= event.iteration
    else { return nil }
    var panels: [Snapshot] = []
    if !event.panels.isEmpty && sweep.count == event.panels.count {
      guard let held = sweep.heldSnapshots() else { return nil }
      panels = held
    }
    heldMain = nil
    pending.removeFirst()
    replayed += 1
    var differences: [String] = []
    if snapshot.totalIterations != event.iteration || (event.loss != nil && snapshot.loss != event.loss) {
      differences.append(
        "it \(snapshot.totalIterations), loss \(snapshot.loss.map { "\($0)" } ?? "none"), recorded \(event.loss.map { "\($0)" } ?? "none")"
      )
    }
    if panels.count != event.panels.count {
      differences.append("\(sweep.count) panels on show, \(event.panels.count) recorded")
    }
    for (i, (panel, mark)) in zip(panels, event.panels).enumerated()
    where panel.totalIterations != mark.iteration || (mark.loss != nil && panel.loss != mark.loss) {
      differences.append(
        "panel \(i + 1) at it \(panel.totalIterations), loss \(panel.loss.map { "\($0)" } ?? "none"), recorded \(mark.text)"
      )
    }
    var problem: String?
    if !differences.isEmpty {
      mismatches += 1
      if firstMismatch == nil { firstMismatch = event.iteration }
      problem = "replay differs at iteration \(event.iteration): " + differences.joined(separator: "; ")
    }
    return (event, snapshot, panels, problem)
  }

  /// After an event: the trainer and the panels go on to the next one's iterations; at the end,
  /// the line that says how the replay went.
  mutating func advance(_ session: TrainingSession, sweep: inout SweepSessions) -> (text: String, kind: Message.Kind)? {
    guard mode == .replaying else { return nil }
    holdPanels(&sweep)
    if let next = pending.first {
      hold(session, at: next.iteration)
      return nil
    }
    hold(session, at: nil)
    mode = .off
    if let firstMismatch {
      return (
        "replay done: \(replayed) events, \(mismatches) not as recorded (first at iteration \(firstMismatch))", .error
      )
    }
    return ("replay done: \(replayed) events, every loss as recorded; the keys are yours again", .done)
  }

  /// What a key does during a replay: the pace, pause and step, and the look; nil for the others.
  func allows(_ action: Action) -> Bool { mode != .replaying || Self.replayActions.contains(action) }
}
