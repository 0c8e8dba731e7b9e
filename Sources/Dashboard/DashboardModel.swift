import DescentCore

/// What fills the screen besides the knobs and the status line.
public enum ViewMode: Sendable, Equatable {
  /// The decision boundary and the loss chart.
  case boundary
  /// The boundary, with what each first-layer hidden unit computes in place of the loss chart.
  case units
  /// Small multiples: one network per hidden size, all training at once.
  case sweep
}

/// The UI's state and what each action does to it. Pure: actions in, trainer commands out.
public struct DashboardModel: Sendable {
  /// The knob values as the user set them (shown at once, before the trainer catches up).
  public var settings: Settings
  public var focus: Knob = .hidden
  public var showHelp = false
  public var logScale = true
  public var snapshot: Snapshot?
  public var quit = false
  public private(set) var layout: Layout
  /// What is on show: presentation mode, hidden panels and knobs, the caption.
  public var presentation: Presentation {
    didSet {
      layout = Layout(width: layout.width, height: layout.height, presentation: presentation)
      if !presentation.knobs.contains(focus), let first = presentation.knobs.first { focus = first }
    }
  }
  /// A one-line message for the status bar (a theme that could not be read, say).
  public var message: StatusMessage?
  /// The theme as `--theme` would name it: the option given, or the shipped theme `t` chose.
  public var themeArgument = "default"
  /// `--ascii` was given.
  public var asciiForced = false
  public var view = ViewMode.boundary
  /// The logistic-regression line over the plot, and its accuracy in the status line.
  public var showBaseline = false
  /// The class a click in the plot adds.
  public var pointClass = 0
  /// The hidden sizes of the sweep view, and the latest snapshot of each.
  public var sweepSizes = [1, 2, 3, 4, 5, 20, 50]
  public var sweep: [Snapshot?] = []
  /// The guided tour's stage, when touring.
  public private(set) var tourStage: Int?

  public init(settings: Settings, width: Int, height: Int, presentation: Presentation = Presentation()) {
    self.settings = settings
    self.presentation = presentation
    layout = Layout(width: width, height: height, presentation: presentation)
    focus = presentation.knobs.first ?? .hidden
  }

  /// The terminal changed size.
  public mutating func resize(width: Int, height: Int) {
    layout = Layout(width: width, height: height, presentation: presentation)
  }

  /// The knobs of the page the focused knob is on, as far as they are on show.
  public var pageKnobs: [Knob] { presentation.knobs.filter { $0.page == focus.page } }

  /// Whether the run on screen (the sweep's, in the sweep view) is training.
  var isRunning: Bool {
    let state = view == .sweep ? sweep.compactMap { $0 }.first?.state : snapshot?.state
    return state == .running
  }

  /// Applies an action and returns the commands to send to the trainer.
  public mutating func handle(_ action: Action) -> [Command] {
    switch action {
    case .quit:
      quit = true
    case .toggleHelp:
      showHelp.toggle()
    case .closeHelp:
      showHelp = false
    case .toggleScale:
      logScale.toggle()
    case .focusNext, .focusPrevious:
      let knobs = presentation.knobs
      guard let i = knobs.firstIndex(of: focus) else { break }
      focus = knobs[(i + (action == .focusNext ? 1 : knobs.count - 1)) % knobs.count]
    case .nextPage, .previousPage:
      let pages = Knob.pages.indices.filter { page in presentation.knobs.contains { $0.page == page } }
      guard let i = pages.firstIndex(of: focus.page) else { break }
      let page = pages[(i + (action == .nextPage ? 1 : pages.count - 1)) % pages.count]
      focus = presentation.knobs.first { $0.page == page } ?? focus
    case .adjust(let steps):
      guard presentation.knobs.contains(focus) else { break }
      return set(focus, focus.stepped(settings.value(of: focus), by: steps))
    case .togglePresent:
      presentation.present.toggle()
    case .cycleTheme, .export:
      break  // the app loads the next theme, or writes the files
    case .faster:
      return set(.speed, Knob.speed.stepped(settings.speed, by: 1))
    case .slower:
      return set(.speed, Knob.speed.stepped(settings.speed, by: -1))
    case .togglePause:
      if isRunning { return [.pause] }
      if case .diverged? = snapshot?.state, view != .sweep { return [] }
      return [.resume]
    case .step:
      return [.step]
    case .reset:
      return [.reset]
    case .reinitialize:
      let seed = UInt32.random(in: 1...UInt32.max)
      settings.setup.weightSeed = seed
      settings.setup.initialModel = nil
      return [.reinitialize(seed: seed)]
    case .newData:
      guard case .generated = settings.setup.source else {
        message = StatusMessage("new data needs a built-in data set (the dataset knob, on the data page)", .error)
        break
      }
      settings.setup.seed = UInt32.random(in: 1...UInt32.max)
      settings.edits = 0
      return [.restart(settings.setup, label: "new data")]
    case .toggleBaseline:
      showBaseline.toggle()
      return [.showBaseline(showBaseline)]
    case .toggleSweep:
      view = view == .sweep ? .boundary : .sweep
    case .toggleUnits:
      view = view == .units ? .boundary : .units
    case .pickClass(let k):
      let classes = snapshot?.network.classes ?? 2
      if k < classes {
        pointClass = k
        message = "clicks in the plot add class \(k); right click (or ctrl-click) removes the nearest point"
      } else {
        message = StatusMessage("this network has \(classes) classes: press 0 to \(classes - 1)", .error)
      }
    case .tour(let by):
      guard let stage = tourStage else { break }
      return goToStage(stage + by)
    case .click(let x, let y):
      return click(x: x, y: y)
    case .secondaryClick(let x, let y):
      return removePoint(x: x, y: y)
    case .resize:
      break
    }
    return []
  }

  /// Sets a knob and says so to the trainer, unless nothing changed.
  private mutating func set(_ knob: Knob, _ value: Double) -> [Command] {
    let before = settings
    settings.set(knob, value)
    guard settings != before else { return [] }
    switch knob {
    case .epsilon: return [.setEpsilon(value)]
    case .lambda: return [.setLambda(value)]
    case .redraw: return [.setRedrawEvery(Int(value))]
    case .speed: return [.setSpeed(value)]
    case .batch: return [.setBatchSize(settings.setup.training.batchSize)]
    case .anneal: return [.setAnneal(value)]
    case .hidden, .activation, .layers, .dataset, .samples, .noise, .classes:
      if !settings.setup.sameData(as: before.setup) { settings.edits = 0 }
      let shown = knob == .dataset ? settings.value(of: .dataset) : value
      return [.restart(settings.setup, label: "\(knob.label) \(knob.format(shown))")]
    }
  }

  /// A click or drag on a knob's row focuses it; on its track, also sets it. A click in the plot
  /// adds a point of the chosen class there.
  private mutating func click(x: Int, y: Int) -> [Command] {
    if let point = plotPoint(x: x, y: y) {
      settings.edits += 1
      return [.addPoint(x: point.x, y: point.y, label: pointClass)]
    }
    let rect = layout.knobs
    guard !layout.isTooSmall, view != .sweep, rect.contains(x: x, y: y) else { return [] }
    let knobs = pageKnobs
    guard let knob = knobs.first(where: { KnobPanel.row(of: $0, in: rect, knobs: knobs) == y }) else { return [] }
    focus = knob
    let track = KnobPanel.track(in: rect)
    guard x >= track.x - 1, x <= track.x + track.width else { return [] }
    let fraction = Double(x - track.x) / Double(max(1, track.width - 1))
    return set(knob, knob.value(at: fraction))
  }

  /// Removes the training point nearest a right click in the plot (nearest as the eye sees it:
  /// a cell is about twice as tall as it is wide).
  private mutating func removePoint(x: Int, y: Int) -> [Command] {
    guard let snapshot, plotPoint(x: x, y: y) != nil, snapshot.data.count > 1 else { return [] }
    let area = BoundaryPlot.plotArea(in: layout.plot)
    let bounds = snapshot.bounds
    let data = snapshot.data
    var best: (index: Int, distance: Double)?
    for r in 0..<data.count {
      let col = (data.X[r, 0] - bounds.xMin) / (bounds.xMax - bounds.xMin) * Double(area.width)
      let row = (bounds.yMax - data.X[r, 1]) / (bounds.yMax - bounds.yMin) * Double(area.height)
      let dx = col - (Double(x - area.x) + 0.5)
      let dy = 2 * (row - (Double(y - area.y) + 0.5))
      let distance = dx * dx + dy * dy
      if best == nil || distance < best!.distance { best = (r, distance) }
    }
    guard let best else { return [] }
    settings.edits += 1
    return [.removePoint(x: data.X[best.index, 0], y: data.X[best.index, 1])]
  }

  /// The data coordinates of a cell of the plot's area, when the click is on it.
  private func plotPoint(x: Int, y: Int) -> (x: Double, y: Double)? {
    guard let snapshot, !layout.isTooSmall, view != .sweep, !layout.plot.isEmpty, snapshot.data.features == 2
    else { return nil }
    let area = BoundaryPlot.plotArea(in: layout.plot)
    guard area.contains(x: x, y: y) else { return nil }
    let bounds = snapshot.bounds
    return (
      bounds.xMin + (Double(x - area.x) + 0.5) / Double(area.width) * (bounds.xMax - bounds.xMin),
      bounds.yMax - (Double(y - area.y) + 0.5) / Double(area.height) * (bounds.yMax - bounds.yMin)
    )
  }
}

extension DashboardModel {
  /// Starts the guided tour at its first stage; returns the commands that set it up.
  public mutating func startTour() -> [Command] {
    tourStage = nil
    return goToStage(0)
  }

  /// Moves to a stage of the tour (clamped to the first and last).
  private mutating func goToStage(_ index: Int) -> [Command] {
    let stages = Tour.stages
    let i = min(stages.count - 1, max(0, index))
    guard i != tourStage else { return [] }
    tourStage = i
    let stage = stages[i]
    var setup = stage.setup
    setup.seed = settings.setup.seed
    settings.setup = setup
    settings.edits = 0
    showBaseline = stage.baseline
    view = stage.view
    if let knob = stage.focus { focus = knob }
    presentation.title = "\(i + 1)/\(stages.count) \(stage.title) — \(stage.caption)  [← → stages]"
    return [
      .restart(setup, label: "stage \(i + 1)"), .showBaseline(stage.baseline), stage.paused ? .pause : .resume,
    ]
  }
}
