import DescentCore

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
  public var message: String?

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
    case .adjust(let steps):
      guard presentation.knobs.contains(focus) else { break }
      return set(focus, focus.stepped(settings.value(of: focus), by: steps))
    case .togglePresent:
      presentation.present.toggle()
    case .cycleTheme:
      break  // the app loads the next theme
    case .faster:
      return set(.speed, Knob.speed.stepped(settings.speed, by: 1))
    case .slower:
      return set(.speed, Knob.speed.stepped(settings.speed, by: -1))
    case .togglePause:
      switch snapshot?.state {
      case .running?: return [.pause]
      case .diverged?: return []
      default: return [.resume]
      }
    case .step:
      return [.step]
    case .reset:
      return [.reset]
    case .reinitialize:
      return [.reinitialize(seed: UInt32.random(in: 1...UInt32.max))]
    case .click(let x, let y):
      return click(x: x, y: y)
    case .resize:
      break
    }
    return []
  }

  /// Sets a knob and says so to the trainer, unless nothing changed.
  private mutating func set(_ knob: Knob, _ value: Double) -> [Command] {
    guard value != settings.value(of: knob) else { return [] }
    settings.set(knob, value)
    switch knob {
    case .hidden: return [.setHidden(Int(value))]
    case .epsilon: return [.setEpsilon(value)]
    case .lambda: return [.setLambda(value)]
    case .redraw: return [.setRedrawEvery(Int(value))]
    case .speed: return [.setSpeed(value)]
    }
  }

  /// A click or drag on a knob's row focuses it; on its track, also sets it.
  private mutating func click(x: Int, y: Int) -> [Command] {
    let rect = layout.knobs
    guard !layout.isTooSmall, rect.contains(x: x, y: y) else { return [] }
    let knobs = presentation.knobs
    guard let knob = knobs.first(where: { KnobPanel.row(of: $0, in: rect, knobs: knobs) == y }) else { return [] }
    focus = knob
    let track = KnobPanel.track(in: rect)
    guard x >= track.x - 1, x <= track.x + track.width else { return [] }
    let fraction = Double(x - track.x) / Double(max(1, track.width - 1))
    return set(knob, knob.value(at: fraction))
  }
}
