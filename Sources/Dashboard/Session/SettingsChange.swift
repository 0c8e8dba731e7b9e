/// What new settings mean for a run, worked out from the knob table: a new run (with the label
/// that marks it on the loss chart), or knobs changed live.
struct SettingsChange: Equatable {
  /// The chart label of a new run, when the change starts one.
  var restart: String?
  /// Whether the points must be made again (other data, or hand edits undone).
  var newData: Bool
  /// The knobs that changed and apply from the next step, in table order.
  var live: [Knob]

  /// The change from `old` to `new`; `label` names a new run asked for by the screen (a tour
  /// stage, new weights), and `edited` says whether the run's points were edited by hand.
  init(from old: Settings, to new: Settings, label: String? = nil, edited: Bool = false) {
    newData = !new.setup.sameData(as: old.setup) || (new.edits == 0 && edited)
    let restartedBy = Knob.all.first { $0.restarts && $0.differs(old, new) }
    let newWeights = new.setup.weightSeed != old.setup.weightSeed || new.setup.initialModel != old.setup.initialModel
    restart =
      label ?? restartedBy.flatMap { $0.marker(new) } ?? (newData ? "new data" : nil)
      ?? (newWeights ? "new weights" : nil)
    live = restart == nil ? Knob.all.filter { !$0.restarts && $0.differs(old, new) } : []
  }
}
