import DescentCore
import Foundation

/// The UI's state and what each action does to it. Pure: actions in, effects out; the run loop
/// carries the effects out and reports back what came of them.
public struct DashboardModel: Sendable {
  /// The settings as the user set them: the one copy the screen keeps, sent whole to the trainer.
  public internal(set) var settings: Settings
  public var focus: Knob = .hidden
  public var showHelp = false
  public var logScale = true
  /// The iterations the loss chart shows.
  public var lossWindow = LossWindow.run
  public var snapshot: Snapshot? { didSet { askedRunning = nil } }
  public private(set) var quit = false
  public private(set) var layout: Layout
  /// What is on show: presentation mode, hidden panels and knobs, the caption.
  public var presentation: Presentation {
    didSet {
      layout = Layout(width: layout.width, height: layout.height, presentation: presentation)
      if !presentation.knobs.contains(focus), let first = presentation.knobs.first { focus = first }
    }
  }
  /// A one-line message for the status bar (a theme that could not be read, say).
  public private(set) var status: Message?
  public internal(set) var view = ViewMode.boundary
  /// The hidden-space view's layer and its two units (`h` steps through them).
  public private(set) var hiddenLayer = 0
  public private(set) var hiddenUnits = (0, 1)
  /// Regions at full strength, not shaded by confidence (the Playground's "discretize").
  public private(set) var discretize = false
  /// The logistic-regression line over the plot, and its accuracy in the status line.
  public internal(set) var showBaseline = false
  /// The class a click in the plot adds.
  public private(set) var pointClass = 0
  /// The hidden sizes of the sweep view, and the latest snapshot of each.
  public var sweepSizes = RunSetup.postSweepSizes
  public var sweep: [Snapshot?] = [] { didSet { askedRunning = nil } }
  /// Whether space and s since the trainer's last news left the run on screen running: its
  /// snapshot shows them only once the trainer has taken them, and a burst of keys read in one
  /// pass (a paste, tmux send-keys) toggles from what the keys before asked, not from it.
  private var askedRunning: Bool?
  /// Whether the main run was training when the sweep view opened (it waits meanwhile).
  private var resumeAfterSweep = false
  /// The sweep's (or a card's) panels start paused: a lesson stage's card with a question waits
  /// for the class. The loop reads it when it starts them.
  var sweepStartsPaused = false
  /// The themes `t` cycles through, and the one on show.
  public var themeNames: [String] = []
  public var themeName = "default"
  /// `--ascii` was given.
  public var asciiForced = false
  /// The symbols the teaching views write equations with (ASCII where the terminal has no UTF-8).
  public var mathGlyphs = MathGlyphs.unicode
  /// The lesson being given, and its stage on show.
  public internal(set) var lesson: Lesson?
  public internal(set) var stage: Int?
  /// The seed `n` or `d` takes next instead of a random one (a replay's), and the last one picked.
  var givenSeed: UInt32?
  var pickedSeed: UInt32?
  /// The pace the lesson started at: a stage that does not set its own runs at it.
  var lessonPace: (speed: Double, redrawEvery: Int)?
  /// The run the stage on show started (its question shows until that run starts).
  var stageRun: Int?
  /// The code view's line (among the loop's statements), the inspected point, the math view's
  /// scroll and the last gradient check (see DashboardModel+Teaching).
  public internal(set) var codeLine = 0
  public internal(set) var inspected: InspectedPoint?
  public internal(set) var mathScroll = 0
  public internal(set) var gradientCheck: GradientCheckReport?
  /// The reader's question on show (an index into `Card.all`), and the caption before it.
  public internal(set) var card: Int?
  var titleBeforeCard: String?
  /// The time now (`DispatchTime` nanoseconds), as the loop last said: messages are stamped with it.
  public private(set) var now: UInt64 = 0

  /// How long a message stays on the status bar, whatever keys come meanwhile: long enough to
  /// read an export's folder name from the back of a classroom. (Kept until a key instead, it
  /// would hide the iteration and loss for as long as nobody touches the keyboard.)
  static let messageLifetime: UInt64 = 8_000_000_000

  public init(settings: Settings, width: Int, height: Int, presentation: Presentation = Presentation()) {
    self.settings = settings
    self.presentation = presentation
    layout = Layout(width: width, height: height, presentation: presentation)
    focus = presentation.knobs.first ?? .hidden
  }

  /// The status bar's line, if any.
  public var message: String? { status?.text }

  /// Shows a line in the status bar.
  public mutating func say(_ text: String, _ kind: Message.Kind = .information) {
    status = Message(text: text, kind: kind, since: now)
  }

  /// The clock moved on; a message older than its lifetime goes. Returns whether the screen changed.
  public mutating func tick(now: UInt64) -> Bool {
    self.now = now
    guard let status, now - status.since > Self.messageLifetime else { return false }
    self.status = nil
    return true
  }

  /// The terminal changed size.
  public mutating func resize(width: Int, height: Int) {
    layout = Layout(width: width, height: height, presentation: presentation)
  }

  /// The knobs of the page the focused knob is on, as far as they are on show.
  public var pageKnobs: [Knob] { presentation.knobs.filter { $0.page == focus.page } }

  /// Whether the run on screen is training, as far as space and s know: what the keys since the
  /// trainer's last snapshot asked (`askedRunning`), else what that snapshot says.
  var isRunning: Bool { askedRunning ?? (snapshotOnScreen?.state == .running) }

  /// The snapshot of the run on screen: the main run's, or in the sweep and the race the panel
  /// that speaks for them.
  var snapshotOnScreen: Snapshot? { view.hasPanels ? panelsSnapshot : snapshot }

  /// The panel that speaks for the sweep's or the race's in the status bar and to space: of those
  /// still training, else of those paused, the one furthest behind; else the first. At full speed
  /// the narrow networks are done long before the wide ones, which space must still pause; and
  /// the iteration shown is the one every such panel has reached, which does not jump back as
  /// the narrow ones finish.
  var panelsSnapshot: Snapshot? {
    let panels = sweep.compactMap { $0 }
    func furthestBehind(_ state: TrainingState) -> Snapshot? {
      panels.filter { $0.state == state }.min { $0.iteration < $1.iteration }
    }
    return furthestBehind(.running) ?? furthestBehind(.paused) ?? panels.first
  }

  /// Applies an action and returns what the loop must carry out.
  public mutating func handle(_ action: Action) -> [Effect] {
    switch action {
    case .quit:
      quit = true
      return [.quit]
    case .toggleHelp:
      showHelp.toggle()
    case .closeHelp:
      // Escape: the help, else a reader's question (as x past the last does), else the inspector.
      if showHelp {
        showHelp = false
      } else if card != nil {
        // A lesson stage's own experiment stays: its caption asks about it.
        guard !showsStagesCard else {
          say("this stage's experiment stays on: ← → go to another stage")
          break
        }
        return showCard(-1)
      } else {
        inspected = nil
      }
    case .toggleScale:
      logScale.toggle()
    case .cycleLossWindow:
      lossWindow = lossWindow.next
    case .focusNext, .focusPrevious:
      // Round the knobs of this page: past the last or first knob stays on the page ([ ] turn it).
      let knobs = pageKnobs
      guard let i = knobs.firstIndex(of: focus) else { break }
      focus = knobs[(i + (action == .focusNext ? 1 : knobs.count - 1)) % knobs.count]
    case .nextPage, .previousPage:
      let pages = Knob.pageTitles.indices.filter { page in presentation.knobs.contains { $0.page == page } }
      guard let i = pages.firstIndex(of: focus.page) else { break }
      let page = pages[(i + (action == .nextPage ? 1 : pages.count - 1)) % pages.count]
      focus = presentation.knobs.first { $0.page == page } ?? focus
    case .adjust(let steps):
      guard presentation.knobs.contains(focus), saysWhereItApplies(focus) else { break }
      return set(focus.stepped(settings, by: steps))
    case .togglePresent:
      presentation.present.toggle()
    case .cycleTheme:
      guard !themeNames.isEmpty else { break }
      return [.loadTheme(themeNames[((themeNames.firstIndex(of: themeName) ?? -1) + 1) % themeNames.count])]
    case .export:
      if snapshot != nil { return [.export] }
    case .record:
      return [.record]
    case .faster:
      return set(Knob.speed.stepped(settings, by: 1))
    case .slower:
      return set(Knob.speed.stepped(settings, by: -1))
    case .togglePause:
      if isRunning {
        askedRunning = false
        return route(.pause)
      }
      if case .diverged? = snapshot?.state, !view.hasPanels { return [] }
      askedRunning = true
      return route(.resume)
    case .step:
      askedRunning = false  // a step pauses a running run
      return route(.step)
    case .reset:
      return route(.reset)
    case .reinitialize:
      settings.setup.weightSeed = pickSeed()
      settings.setup.initialModel = nil
      return route(.apply(settings, restart: "new weights"))
    case .newData:
      guard case .generated = settings.setup.source else {
        say("new data needs a built-in data set (the dataset knob, on the data page)")
        break
      }
      settings.setup.seed = pickSeed()
      settings.edits = 0
      return route(.apply(settings, restart: "new data"))
    case .toggleBaseline:
      guard settings.setup.task == .classification || showBaseline else {
        say("the logistic-regression baseline classifies; this run is a regression", .error)
        break
      }
      showBaseline.toggle()
      if showBaseline, let count = snapshot?.data.count, count > LogisticRegression.pointLimit {
        say(
          "the baseline is fitted to \(LogisticRegression.pointLimit.formatted()) of the \(count.formatted()) points, evenly spread",
          .information)
      }
      return [.main(.showBaseline(showBaseline))]
    case .toggleSweep:
      // g opens the hidden-size sweep, not the reader's question its panels showed last.
      if view != .sweep { closeCard() }
      return show(view == .sweep ? .boundary : .sweep)
    case .toggleRace:
      if view != .race { closeCard() }  // the race is not a reader's question
      return show(view == .race ? .boundary : .race)
    case .toggleUnits:
      return show(view == .units ? .boundary : .units)
    case .toggleNetwork:
      return show(view == .network ? .boundary : .network)
    case .toggleClasses:
      return show(view == .classes ? .boundary : .classes)
    case .toggleDiscretize:
      discretize.toggle()
      return []
    case .hiddenSpace:
      guard view == .hidden else { return show(.hidden) }
      guard let next = nextHiddenPair() else {
        (hiddenLayer, hiddenUnits) = (0, (0, 1))
        return show(.boundary)
      }
      (hiddenLayer, hiddenUnits) = next
      say("hidden space: layer \(next.layer + 1), units \(next.units.0 + 1) and \(next.units.1 + 1)", .information)
      return []
    case .pickClass(let k):
      let classes = snapshot?.boundaryNetwork.classes ?? 2
      if k < classes {
        pointClass = k
        say("clicks in the plot add class \(k); right click (or ctrl-click) removes the nearest point")
      } else {
        say("this network has \(classes) classes: press 0 to \(classes - 1)", .error)
      }
    case .stage(let by):
      guard let stage else { break }
      return goToStage(stage + by)
    case .click(let x, let y):
      return click(x: x, y: y)
    case .secondaryClick(let x, let y):
      return removePoint(x: x, y: y)
    case .resize:
      break
    case .toggleCode, .toggleMath, .codeLine, .inspect, .checkGradient, .scroll, .card:
      return handleTeaching(action)
    }
    return []
  }

  /// The loop loaded the theme `name` (or could not: `problem`).
  public mutating func themeLoaded(_ name: String, problem: String? = nil) {
    if let problem {
      say("\(problem); theme unchanged", .error)
    } else {
      themeName = name
      say("theme \(name)")
    }
  }

  /// Switches the view, starting or stopping the sweep's networks. The main run waits while the
  /// sweep trains (both cores go to the sweep) and goes on afterwards if it was training.
  /// The hidden-space view's next layer and pair of units after the ones on show, in order
  /// (1 and 2, 1 and 3, ..., 2 and 3, ..., then the next layer); nil after the last.
  func nextHiddenPair() -> (layer: Int, units: (Int, Int))? {
    let widths = snapshot?.boundaryNetwork.hiddenSizes ?? []
    var (l, a, b) = (hiddenLayer, hiddenUnits.0, hiddenUnits.1 + 1)
    while l < widths.count {
      if b >= widths[l] {
        a += 1
        b = a + 1
      }
      if b < widths[l] { return (l, (a, b)) }
      (l, a, b) = (l + 1, 0, 1)
    }
    return nil
  }

  public mutating func show(_ newView: ViewMode) -> [Effect] {
    guard newView != view else { return [] }
    var effects: [Effect] = []
    let old = view
    view = newView
    if newView.hasPanels {
      // From the sweep to the race (or back) the main run keeps waiting.
      if !old.hasPanels { resumeAfterSweep = snapshot.map { $0.state == .running } ?? true }
      sweep = Array(repeating: nil, count: sweepTitles.count)
      effects = old.hasPanels ? [.stopSweep, .startSweep] : [.startSweep, .main(.pause)]
    } else if old.hasPanels {
      sweep = []
      effects = [.stopSweep] + (resumeAfterSweep ? [.main(.resume)] : [])
    }
    return effects
  }

  /// Where a command goes: in the sweep view, pausing and stepping move the sweep only, and the
  /// baseline (the same for every panel) is the main run's; everything else goes to the main run,
  /// so it is in step when the view closes, and to the panels (but a card's keep their own
  /// settings). A new run (a reset, a restarting knob) would set a main run that was done
  /// training behind the panels, so the main run is paused again after those.
  func route(_ command: Command) -> [Effect] {
    guard view.hasPanels else { return [.main(command)] }
    switch command {
    case .pause, .resume, .step: return [.sweep(command)]
    case .showBaseline: return [.main(command)]
    case .apply, .reset:
      let main: [Effect] = [.main(command), .main(.pause)]
      if card != nil, case .apply = command { return main }
      return main + [.sweep(command)]
    default: return [.main(command), .sweep(command)]
    }
  }

  /// New settings from a knob, sent whole unless nothing changed. A knob that restarts makes the
  /// points afresh, so hand edits go.
  private mutating func set(_ changed: Settings) -> [Effect] {
    guard changed != settings else { return [] }
    var changed = changed
    if Knob.all.contains(where: { $0.restarts && $0.differs(settings, changed) }) { changed.edits = 0 }
    settings = changed
    return route(.apply(settings))
  }

  /// A click or drag on a knob's row focuses it; on its track, also sets it. A click in the plot
  /// adds a point of the chosen class there.
  private mutating func click(x: Int, y: Int) -> [Effect] {
    if inspected != nil, let nearest = nearestPoint(x: x, y: y, test: true) {
      inspected = nearest
      return []
    }
    if let point = plotPoint(x: x, y: y) {
      guard settings.setup.task == .classification else {
        say("a click adds a point of a class; a regression run's points have real targets", .error)
        return []
      }
      settings.edits += 1
      return [.main(.addPoint(x: point.x, y: point.y, label: pointClass))]
    }
    let rect = layout.knobs
    guard !layout.isTooSmall, !view.hasPanels, rect.contains(x: x, y: y) else { return [] }
    let knobs = pageKnobs
    guard let knob = knobs.first(where: { KnobPanel.row(of: $0, in: rect, knobs: knobs) == y }) else { return [] }
    focus = knob
    guard saysWhereItApplies(knob) else { return [] }
    let track = KnobPanel.track(in: rect)
    guard track.width > 0, x >= track.x - 1, x <= track.x + track.width else { return [] }
    let fraction = Double(x - track.x) / Double(max(1, track.width - 1))
    return set(knob.selecting(fraction: fraction, in: settings))
  }

  /// Whether `knob` means something for the settings; if not, the status line says where it does.
  private mutating func saysWhereItApplies(_ knob: Knob) -> Bool {
    guard let appliesTo = knob.appliesTo, !knob.applies(to: settings) else { return true }
    say("\(knob.label) applies to \(appliesTo)")
    return false
  }

  /// Removes the training point nearest a right click in the plot.
  private mutating func removePoint(x: Int, y: Int) -> [Effect] {
    guard let snapshot, snapshot.data.count > 1, let nearest = nearestPoint(x: x, y: y, test: false) else { return [] }
    settings.edits += 1
    return [.main(.removePoint(index: nearest.index, dataVersion: snapshot.dataVersion))]
  }

  /// The point nearest a cell of the plot (nearest as the eye sees it: a cell is about twice as
  /// tall as it is wide), among the training points and, with `test`, the test points.
  func nearestPoint(x: Int, y: Int, test: Bool) -> InspectedPoint? {
    guard let snapshot, plotPoint(x: x, y: y) != nil else { return nil }
    let area = BoundaryPlot.plotArea(in: layout.plot, bounds: snapshot.bounds)
    let grid = PlotGrid(bounds: snapshot.bounds, columns: area.width, rows: area.height)
    var best: (point: InspectedPoint, distance: Double)?
    for (isTest, data) in [(false, snapshot.data), (true, test ? snapshot.test : nil)] {
      guard let data else { continue }
      for r in 0..<data.count {
        let (col, row) = grid.position(data.X[r, 0], data.X[r, 1])
        let dx = col - (Double(x - area.x) + 0.5)
        let dy = 2 * (row - (Double(y - area.y) + 0.5))
        let distance = dx * dx + dy * dy
        if best == nil || distance < best!.distance { best = (InspectedPoint(test: isTest, index: r), distance) }
      }
    }
    return best?.point
  }

  /// The data coordinates of a cell of the plot's area, when the click is on it.
  func plotPoint(x: Int, y: Int) -> (x: Double, y: Double)? {
    guard let snapshot, !layout.isTooSmall, !view.hasPanels, !layout.plot.isEmpty, snapshot.data.features == 2
    else { return nil }
    let area = BoundaryPlot.plotArea(in: layout.plot, bounds: snapshot.bounds)
    guard area.contains(x: x, y: y) else { return nil }
    return PlotGrid(bounds: snapshot.bounds, columns: area.width, rows: area.height)
      .point(column: x - area.x, row: y - area.y)
  }
}
