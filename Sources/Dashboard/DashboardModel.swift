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
  public var layout: Layout

  public init(settings: Settings, width: Int, height: Int) {
    self.settings = settings
    layout = Layout(width: width, height: height)
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
    case .focusNext:
      focus = Knob(rawValue: (focus.rawValue + 1) % Knob.allCases.count)!
    case .focusPrevious:
      focus = Knob(rawValue: (focus.rawValue + Knob.allCases.count - 1) % Knob.allCases.count)!
    case .adjust(let steps):
      return set(focus, focus.stepped(settings.value(of: focus), by: steps))
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
    guard let knob = Knob.allCases.first(where: { KnobPanel.row(of: $0, in: rect) == y }) else { return [] }
    focus = knob
    let track = KnobPanel.track(in: rect)
    guard x >= track.x - 1, x <= track.x + track.width else { return [] }
    let fraction = Double(x - track.x) / Double(max(1, track.width - 1))
    return set(knob, knob.value(at: fraction))
  }
}
