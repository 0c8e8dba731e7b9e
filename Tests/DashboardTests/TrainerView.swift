import DescentCore

@testable import Dashboard

/// What the main trainer makes of an action's effects, in words a test can compare: a new run on
/// a setup, a knob changed live to a value, or a verb.
enum TrainerSees: Equatable {
  case restart(RunSetup, label: String)
  case set(Knob, Double)
  case verb(Command)
  /// Something for the loop rather than the trainer (a theme, the sweep, an export).
  case loop(Effect)
}

extension DashboardModel {
  /// Handles `action` and says what the main trainer makes of it, through the same knob-table
  /// diff the trainer runs.
  mutating func trainerSees(_ action: Action) -> [TrainerSees] {
    let before = settings
    return handle(action).compactMap { effect in
      guard case .main(let command) = effect else {
        if case .sweep = effect { return nil }
        return .loop(effect)
      }
      guard case .apply(let new, let label) = command else { return .verb(command) }
      let change = SettingsChange(from: before, to: new, label: label)
      if let restart = change.restart { return .restart(new.setup, label: restart) }
      return change.live.first.map { .set($0, new.value(of: $0)) }
    }
  }
}
