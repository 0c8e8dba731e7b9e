import DescentCore

/// Everything the dashboard's run is set to: the setup the trainer trains and the pace it keeps.
/// The model owns it; the screen sends the whole value to the trainer, which works out from the
/// knob table what changed.
public struct Settings: Sendable, Equatable {
  public var setup: RunSetup
  /// Publish a new boundary every this many iterations.
  public var redrawEvery = 100
  /// Iterations per second; infinity is as fast as the machine goes. The default, 1000, shows
  /// the post's 20,000 passes in 20 seconds, slow enough to watch the boundary form. Never above
  /// `maxSpeed`.
  public var speed = 1000.0 {
    didSet { speed = min(speed, maxSpeed) }
  }
  /// The most `speed` may be (`--max-speed`; `descent serve` caps each session so that many
  /// dashboards share the machine).
  public var maxSpeed = Double.infinity {
    didSet { speed = min(speed, maxSpeed) }
  }
  /// Stop (state `done`) after this many iterations of a run.
  public var passes = RunSetup.postPasses
  /// The CSV given with `--data`, so the dataset knob can come back to it.
  public var dataFile: String?
  /// Points added or removed with the mouse since the data was last generated.
  public var edits = 0
  /// The hidden layer the width knob changes, from 0 at the input side (the screen's choice; the
  /// run does not read it).
  public var widthLayer = 0

  public init(setup: RunSetup = .post) {
    self.setup = setup
    if case .file(let path) = setup.source { dataFile = path }
  }

  /// A knob's value: a number knob's number, a choice knob's index among its choices.
  public func value(of knob: Knob) -> Double { knob.value(in: self) }

  /// Whether a knob means anything for the current data.
  public func applies(_ knob: Knob) -> Bool { knob.applies(to: self) }

  /// Sets a number knob. A value that does not apply (classes for a data set with two) leaves
  /// the settings as they were.
  public mutating func set(_ knob: Knob, _ value: Double) { self = knob.setting(value, in: self) }
}

extension Settings {
  /// Where the points come from. Choosing a built-in data set gives it its own noise and classes.
  var source: DataSource {
    get { setup.source }
    set {
      guard newValue != setup.source else { return }
      setup.source = newValue
      if case .generated(let kind) = newValue {
        setup.noise = nil
        setup.classes = kind == .blobs ? max(kind.defaultClasses, setup.classes) : kind.defaultClasses
      }
    }
  }

  /// The generated points' noise, the data set's own unless set.
  var noise: Double {
    get {
      guard case .generated(let kind) = setup.source else { return 0 }
      return setup.noise ?? kind.defaultNoise
    }
    set { setup.noise = newValue }
  }

  /// The hidden knob: the first layer's width; set, every layer is that wide.
  var hiddenWidth: Int {
    get { setup.hiddenWidths[0] }
    set {
      setup.layers = setup.hiddenWidths.count
      setup.widths = nil
      setup.hidden = newValue
    }
  }

  /// The layers knob: how many hidden layers; set, each is as wide as the first.
  var layerCount: Int {
    get { setup.hiddenWidths.count }
    set {
      setup.hidden = setup.hiddenWidths[0]
      setup.widths = nil
      setup.layers = newValue
    }
  }

  /// The layer knob: the chosen hidden layer, counted from 1 (within the layers there are).
  var widthLayerNumber: Int {
    get { min(widthLayer, setup.hiddenWidths.count - 1) + 1 }
    set { widthLayer = max(0, min(newValue, setup.hiddenWidths.count) - 1) }
  }

  /// The width knob: the chosen layer's width; set, that layer alone changes.
  var chosenWidth: Int {
    get { setup.hiddenWidths[widthLayerNumber - 1] }
    set {
      var widths = setup.hiddenWidths
      widths[widthLayerNumber - 1] = newValue
      // As the command line reads `--hidden 6` with `--layers 2`, and `--hidden 6,4`.
      if Set(widths).count == 1 {
        (setup.widths, setup.hidden, setup.layers) = (nil, newValue, widths.count)
      } else {
        (setup.widths, setup.hidden, setup.layers) = (widths, widths[0], 1)
      }
    }
  }

  var hasGeneratedData: Bool {
    guard case .generated = setup.source else { return false }
    return true
  }

  var hasClassCount: Bool {
    guard case .generated(let kind) = setup.source else { return false }
    return kind.hasClassCount
  }
}

extension RunSetup {
  /// The classes the data set has when none are asked for.
  var defaultClasses: Int {
    guard case .generated(let kind) = source else { return classes }
    return kind.defaultClasses
  }
}

extension Settings {
  /// The `descent` command line that recreates this setup: only what differs from the defaults,
  /// the knobs as the knob table writes them.
  public var commandLine: String {
    let setup = self.setup
    var words = ["descent"]
    for knob in Knob.all { words += knob.argument(self) }
    if let widths = setup.widths { words += ["--hidden", widths.map(String.init).joined(separator: ",")] }
    words += setup.playgroundWords
    if setup.seed != 0 { words += ["--seed", "\(setup.seed)"] }
    if let weightSeed = setup.weightSeed { words += ["--weight-seed", "\(weightSeed)"] }
    if setup.testFraction > 0 { words += ["--test-fraction", "\(setup.testFraction)"] }
    if setup.training.gradient != setup.task.defaultGradient {
      words += ["--gradient", setup.training.gradient.rawValue]
    }
    if let path = setup.initialModel { words += ["--init", path] }
    if edits > 0 { words += ["#", "plus \(edits) point edit\(edits == 1 ? "" : "s") by mouse"] }
    return words.joined(separator: " ")
  }
}
