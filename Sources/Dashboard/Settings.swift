import DescentCore

/// The knobs the dashboard can turn while it runs.
public struct Settings: Sendable, Equatable {
  public var setup: RunSetup
  /// Publish a new boundary every this many iterations.
  public var redrawEvery = 100
  /// Iterations per second; infinity is as fast as the machine goes. The default, 1000, shows
  /// the post's 20,000 passes in 20 seconds, slow enough to watch the boundary form.
  public var speed = 1000.0
  /// Stop (state `done`) after this many iterations of a run.
  public var passes = 20000
  /// The CSV given with `--data`, so the dataset knob can come back to it.
  public var dataFile: String?
  /// Points added or removed with the mouse since the data was last generated.
  public var edits = 0

  public init(setup: RunSetup = .post) {
    self.setup = setup
    if case .file(let path) = setup.source { dataFile = path }
  }

  public func value(of knob: Knob) -> Double {
    let t = setup.training
    switch knob {
    case .hidden: return Double(setup.hidden)
    case .epsilon: return t.epsilon
    case .lambda: return t.lambda
    case .redraw: return Double(redrawEvery)
    case .speed: return speed
    case .batch: return Double(t.batchSize ?? 0)
    case .anneal: return t.anneal
    case .activation: return Double(Activation.allCases.firstIndex(of: setup.activation)!)
    case .layers: return Double(setup.layers)
    case .dataset:
      guard case .generated(let kind) = setup.source else { return Double(DatasetKind.classification.count) }
      return Double(DatasetKind.classification.firstIndex(of: kind) ?? 0)
    case .samples: return Double(setup.samples)
    case .noise:
      guard case .generated(let kind) = setup.source else { return 0 }
      return setup.noise ?? kind.defaultNoise
    case .classes: return Double(setup.classes)
    }
  }

  /// Sets a knob. A value that does not apply (a file for the dataset knob when there is none,
  /// classes for a data set with two) leaves the settings as they were.
  public mutating func set(_ knob: Knob, _ value: Double) {
    switch knob {
    case .hidden:
      setup.hidden = Int(value)
      setup.widths = nil  // the knob sets every layer's width
    case .epsilon: setup.training.epsilon = value
    case .lambda: setup.training.lambda = value
    case .redraw: redrawEvery = Int(value)
    case .speed: speed = value
    case .batch: setup.training.batchSize = value == 0 ? nil : Int(value)
    case .anneal: setup.training.anneal = value
    case .activation: setup.activation = Activation.allCases[min(2, max(0, Int(value)))]
    case .layers:
      setup.layers = Int(value)
      setup.widths = nil
    case .dataset:
      let kinds = DatasetKind.classification
      if Int(value) < kinds.count {
        let kind = kinds[max(0, Int(value))]
        setup.source = .generated(kind)
        setup.noise = nil
        setup.classes = kind == .spiral ? 3 : kind == .blobs ? max(2, setup.classes) : 2
      } else if let dataFile {
        setup.source = .file(dataFile)
      }
    case .samples:
      guard case .generated = setup.source else { return }
      setup.samples = Int(value)
    case .noise:
      guard case .generated = setup.source else { return }
      setup.noise = value
    case .classes:
      guard case .generated(let kind) = setup.source, kind.hasClassCount else { return }
      setup.classes = Int(value)
    }
    if knob.restarts { setup.initialModel = nil }  // a saved model has the old shape
  }

  /// Whether a knob means anything for the current data (samples and noise for generated data,
  /// classes for blobs and spiral).
  public func applies(_ knob: Knob) -> Bool {
    switch (knob, setup.source) {
    case (.samples, .file), (.noise, .file), (.classes, .file): return false
    case (.classes, .generated(let kind)): return kind.hasClassCount
    default: return true
    }
  }
}

extension Settings {
  /// The `descent` command line that recreates this setup: only what differs from the defaults.
  public var commandLine: String {
    let setup = self.setup
    let defaults = RunSetup()
    var words = ["descent"]
    switch setup.source {
    case .generated(let kind): if kind != .moons { words += ["--dataset", kind.rawValue] }
    case .file(let path): words += ["--data", path]
    }
    if setup.samples != defaults.samples, case .generated = setup.source { words += ["--samples", "\(setup.samples)"] }
    if let noise = setup.noise, case .generated = setup.source { words += ["--noise", "\(noise)"] }
    if case .generated(let kind) = setup.source, kind.hasClassCount { words += ["--classes", "\(setup.classes)"] }
    if setup.seed != 0 { words += ["--seed", "\(setup.seed)"] }
    if let weightSeed = setup.weightSeed { words += ["--weight-seed", "\(weightSeed)"] }
    if setup.testFraction > 0 { words += ["--test-fraction", "\(setup.testFraction)"] }
    if let widths = setup.widths {
      words += ["--hidden", widths.map(String.init).joined(separator: ",")]
    } else {
      if setup.hidden != defaults.hidden { words += ["--hidden", "\(setup.hidden)"] }
      if setup.layers != defaults.layers { words += ["--layers", "\(setup.layers)"] }
    }
    if setup.activation != defaults.activation { words += ["--activation", setup.activation.rawValue] }
    words += setup.playgroundWords
    let t = setup.training
    if t.epsilon != 0.01 { words += ["--epsilon", formatRate(t.epsilon)] }
    if t.lambda != 0.01 { words += ["--lambda", formatRate(t.lambda)] }
    if let batch = t.batchSize { words += ["--batch-size", "\(batch)"] }
    if t.anneal != 0 { words += ["--anneal", formatRate(t.anneal)] }
    if t.gradient != .sum { words += ["--gradient", t.gradient.rawValue] }
    if let path = setup.initialModel { words += ["--init", path] }
    if redrawEvery != 100 { words += ["--redraw-every", "\(redrawEvery)"] }
    if speed != 1000 { words += ["--speed", speed.isInfinite ? "max" : "\(Int(speed))"] }
    if edits > 0 { words += ["#", "plus \(edits) point edit\(edits == 1 ? "" : "s") by mouse"] }
    return words.joined(separator: " ")
  }
}
