import DescentCore

extension DashboardModel {
  /// Starts a lesson at a stage (the first unless told); returns what sets it up.
  public mutating func start(_ lesson: Lesson, at first: Int = 0) -> [Effect] {
    self.lesson = lesson
    lessonPace = (settings.speed, settings.redrawEvery)
    stage = nil
    return goToStage(first)
  }

  /// Moves to a stage of the lesson (clamped to the first and last). The stage's settings are
  /// sent whole, as a new run marked `stage N` on the loss chart; the data keep the seed on show
  /// unless the stage sets its own.
  mutating func goToStage(_ index: Int) -> [Effect] {
    guard let lesson, !lesson.stages.isEmpty else { return [] }
    let i = min(lesson.stages.count - 1, max(0, index))
    guard i != stage else { return [] }
    stage = i
    stageRun = (snapshot?.run ?? 0) + 1
    let next = lesson.stages[i]
    var settings = next.settings
    // The pace is the presenter's (the command line's) where the stage does not set its own.
    let defaults = Settings()
    if settings.speed == defaults.speed { settings.speed = lessonPace?.speed ?? defaults.speed }
    if settings.redrawEvery == defaults.redrawEvery {
      settings.redrawEvery = lessonPace?.redrawEvery ?? defaults.redrawEvery
    }
    settings.edits = 0
    self.settings = settings
    sweepSizes = next.sweepSizes
    var shown = presentation
    shown.hiddenPanels = next.hiddenPanels
    shown.hiddenKnobs = next.hiddenKnobs
    presentation = shown
    if let knob = next.focus, presentation.knobs.contains(knob) { focus = knob }
    // A card left open (by the last stage or by x) closes first, so its panels stop with it.
    var effects = card == nil ? [] : showCard(-1)
    if let index = next.card {
      // The panels wait for the class's answer too: they start paused when the stage does.
      sweepStartsPaused = next.paused && !Card.all[index].panels.isEmpty
      effects += showCard(index)
    } else if next.view == .code {
      effects += view == .code ? [] : handleTeaching(.toggleCode)
    } else {
      effects += show(next.view)
    }
    showBaseline = next.baseline
    // A stage that waits for the class pauses before its run starts: the trainer may take the
    // commands one at a time, and a pause after the restart would let the new run take a step.
    if next.paused { effects += route(.pause) }
    effects += route(.apply(self.settings, restart: "stage \(i + 1)"))
    effects.append(.main(.showBaseline(next.baseline)))
    if !next.paused { effects += route(.resume) }
    // Until the new run's first snapshot, space must act on the state just asked for, not on
    // the last stage's (a space pressed at once on a question would otherwise pause it again).
    snapshot?.state = next.paused ? .paused : .running
    refreshCaption()
    return effects
  }

  /// The caption for what is on screen now: the stage's number and title, then its question
  /// before the run starts, its answer once the run has stopped, and its caption meanwhile, with
  /// live values filled in. Called as snapshots arrive.
  public mutating func refreshCaption() {
    guard let lesson, let i = stage else { return }
    let current = lesson.stages[i]
    let ours = snapshot.map { $0.run >= (stageRun ?? 0) } ?? false
    // A card's panels are the stage's runs: it has started once they have.
    let started =
      current.card != nil
      ? sweep.contains { $0.map { $0.iteration > 0 || $0.state == .running } ?? false }
      : ours && (snapshot!.iteration > 0 || snapshot!.state == .running)
    let text: String
    if let question = current.question, !started {
      text = LessonCaption.prefixed("question", question)
    } else if let answer = current.answer, ours, snapshot!.state == .done {
      text = LessonCaption.prefixed("answer", answer)
    } else {
      text = current.caption
    }
    let heading = LessonCaption.heading(stage: i, of: lesson.stages.count, title: current.title)
    let title = heading + "\n" + LessonCaption.render(text, snapshot: snapshot, settings: settings)
    if presentation.title != title { presentation.title = title }
  }

  /// Whether a snapshot was posted before the stage on show started its run: the trainer may
  /// post one more of the last stage's, running, after the stage asked for a paused start, and
  /// space would then pause instead of starting the run.
  public func isFromAnEarlierStage(_ snapshot: Snapshot) -> Bool {
    guard stage != nil, let stageRun else { return false }
    return snapshot.run < stageRun
  }

  /// Whether the card's answer is on screen: in a lesson, not before its panels have run (the
  /// class answers the stage's question first).
  public var showsCardAnswer: Bool {
    guard stage != nil, let card, !Card.all[card].panels.isEmpty else { return true }
    return sweep.contains { ($0?.iteration ?? 0) > 0 }
  }

  /// The loss chart's history and window: in a lesson stage that compares with the previous
  /// one, both stages' runs on a straight axis from the previous stage's start; otherwise the
  /// chart's own window (by default the current run, so each stage starts its own chart).
  public func lossChart(_ history: LossHistory) -> (history: LossHistory, window: LossWindow) {
    guard let lesson, let i = stage, i > 0, lesson.stages[i].chart == .previous,
      let own = history.markers.lastIndex(where: { $0.label == "stage \(i + 1)" }),
      let previous = history.markers[..<own].lastIndex(where: { $0.label == "stage \(i)" })
    else { return (history, lossWindow) }
    return (history.since(history.markers[previous].iteration), .session)
  }
}
