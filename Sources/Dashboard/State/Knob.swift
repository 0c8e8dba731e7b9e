import DescentCore
import Foundation

/// A knob on the dashboard: one row of the knob table (`Knob.all`). The panel, stepping, slider
/// clicks, `--hide`, the command-line printer, the chart markers and the trainer's choice between
/// a restart and a live change all read the row; nothing else knows a knob by name.
public struct Knob: Sendable {
  /// The name on the panel and in `--hide`.
  public let label: String
  /// The knob page it is on (`Knob.pages`).
  public let page: Int
  /// Changing it starts the run again (the network or the data change shape); the others apply
  /// from the next step.
  public let restarts: Bool
  /// The values a number knob steps through, smallest first (empty for a choice knob).
  public let steps: [Double]
  /// Where the knob means something, for the status line when it is moved where it does not
  /// ("classes applies to blobs and spiral"); nil for a knob that always applies.
  public let appliesTo: String?
  /// A number knob's value as the panel shows it.
  private let numberFormat: @Sendable (Double) -> String
  /// The knob's stops and where the settings sit among them.
  private let access: Access

  /// How a row reads and writes the settings, whatever its kind of value.
  private struct Access: Sendable {
    /// How many stops the slider has for these settings.
    var stops: @Sendable (Settings) -> Int
    /// The value: a number knob's number, a choice knob's index among its choices.
    var value: @Sendable (Settings) -> Double
    /// Where the settings sit, in stops (fractional between two steps of a number knob).
    var index: @Sendable (Settings) -> Double
    /// Moves the settings to a stop.
    var select: @Sendable (inout Settings, Int) -> Void
    /// Sets a number knob to any value (a choice knob to the choice at that index).
    var set: @Sendable (inout Settings, Double) -> Void
    /// The value as the panel shows it.
    var text: @Sendable (Settings) -> String
    /// The value as the command line writes it, or nil where the default needs no option.
    var argument: @Sendable (Settings) -> [String]?
    /// The loss chart's marker when it changes (nil: not marked).
    var marker: @Sendable (Settings) -> String?
    /// Whether the knob means anything for these settings.
    var applies: @Sendable (Settings) -> Bool
    /// Whether the knob's setting is the same in both.
    var same: @Sendable (Settings, Settings) -> Bool
  }
}

// MARK: - The table

extension Knob {
  /// The knob pages, in order, with their titles.
  public static let pageTitles = ["knobs", "exercises", "data", "playground"]

  /// Where the data knobs apply: not to a CSV's points.
  private static let generatedData = "generated data, not points from --data"

  // Page 1: the post's knobs and the pace.
  /// With a width per layer (`--hidden 8,4`) it shows the first, and moving it makes every layer
  /// that wide; the command line then writes the list (`Settings.commandLine`).
  public static let hidden = number(
    "hidden", page: 0, restarts: true, steps: hiddenSteps, \.hiddenWidth, option: "--hidden",
    isDefault: { $0.setup.widths != nil || $0.setup.hidden == RunSetup.post.hidden })
  public static let epsilon = number(
    "epsilon", page: 0, steps: decades(from: -5, to: 1), \.setup.training.epsilon, format: formatRate,
    option: "--epsilon", marker: "ε")
  public static let lambda = number(
    "lambda", page: 0, steps: [0] + decades(from: -5, to: 1), \.setup.training.lambda, format: formatRate,
    option: "--lambda", marker: "λ")
  public static let redraw = number(
    "redraw", page: 0, steps: decades(from: 0, to: 4).filter { $0 >= 1 }, \.redrawEvery, format: { "\(Int($0)) it" },
    option: "--redraw-every")
  public static let speed = number(
    "speed", page: 0, steps: decades(from: 0, to: 5) + [.infinity], \.speed,
    format: { $0.isInfinite ? "max" : "\(compact($0))/s" }, option: "--speed",
    argument: { $0.isInfinite ? "max" : String(Int($0)) })
  // Page 2: the post's exercises.
  /// 0 is the whole data set: the post's batch gradient descent.
  public static let batch = number(
    "batch", page: 1, steps: [0] + decades(from: 0, to: 3), \.setup.training.batchSize,
    format: { $0 == 0 ? "all" : String(Int($0)) }, option: "--batch-size", marker: "batch")
  public static let anneal = number(
    "anneal", page: 1, steps: [0] + decades(from: -5, to: 0), \.setup.training.anneal,
    format: { $0 == 0 ? "off" : formatRate($0) }, option: "--anneal", marker: "anneal")
  public static let activation = choice(
    "activation", page: 1, restarts: true, Activation.allCases, \.setup.activation, option: "--activation")
  public static let layers = number(
    "layers", page: 1, restarts: true, steps: (1...6).map(Double.init), \.layerCount, option: "--layers",
    isDefault: { $0.setup.widths != nil || $0.setup.layers == RunSetup.post.layers })
  /// Which hidden layer the width knob below changes (from the input side); only chooses.
  public static let layer = number(
    "layer", page: 1, steps: (1...8).map(Double.init), \.widthLayerNumber, option: "--hidden",
    applies: { $0.setup.hiddenWidths.count > 1 }, appliesTo: "two or more hidden layers", isDefault: { _ in true })
  /// The chosen layer's width: the others keep theirs, and the command line writes the list
  /// (`--hidden 8,4`, by `Settings.commandLine`).
  public static let width = number(
    "width", page: 1, restarts: true, steps: hiddenSteps, \.chosenWidth, option: "--hidden",
    markerText: { "layer \($0.widthLayerNumber) width \($0.chosenWidth)" }, isDefault: { _ in true },
    same: { $0.setup.hiddenWidths == $1.setup.hiddenWidths })
  // Page 3: the data, and how the first weights are drawn.
  /// How the first weights are drawn: the post's `randn / sqrt(fan_in)`, or without the division.
  public static let weightInit = choice(
    "init", page: 2, restarts: true, WeightInit.allCases, \.setup.weightInit, option: "--weight-init")
  /// The built-in data sets, then the CSV given with `--data` when there is one.
  public static let dataset = choice(
    "dataset", page: 2, restarts: true,
    { settings in
      DatasetKind.allCases.filter { $0.task == settings.setup.task }.map { DataSource.generated($0) }
        + (settings.dataFile.map { [.file($0)] } ?? [])
    }, \.source, option: "--dataset")
  public static let samples = number(
    "samples", page: 2, restarts: true, steps: [20, 50, 100, 200, 500, 1000, 2000, 5000], \.setup.samples,
    format: compact, option: "--samples", applies: \.hasGeneratedData, appliesTo: generatedData)
  public static let noise = number(
    "noise", page: 2, restarts: true, steps: [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3],
    \.noise, format: { String(format: "%.2f", $0) }, option: "--noise",
    applies: \.hasGeneratedData, appliesTo: generatedData, isDefault: { $0.setup.noise == nil })
  public static let classes = number(
    "classes", page: 2, restarts: true, steps: (2...10).map(Double.init), \.setup.classes, option: "--classes",
    applies: \.hasClassCount, appliesTo: "the blobs and the spiral",
    isDefault: { $0.setup.classes == $0.setup.defaultClasses })

  // Page 4: what TensorFlow Playground and ConvNetJS let you try.
  /// The features the first layer reads (generated data: every built-in set is a plane).
  public static let features = choice(
    "features", page: 3, restarts: true, { InputFeatures.presets(with: $0.setup.features) }, \.setup.features,
    option: "--features", applies: \.hasGeneratedData, appliesTo: generatedData)
  public static let optimizer = choice(
    "optimizer", page: 3, OptimizerKind.allCases, \.setup.training.optimizer.kind, option: "--optimizer")
  public static let momentum = number(
    "momentum", page: 3, steps: [0, 0.5, 0.8, 0.9, 0.95, 0.99], \.setup.training.optimizer.momentum,
    format: { String(format: "%.2f", $0) }, option: "--momentum", argument: { "\($0)" }, marker: "μ",
    applies: { [.momentum, .nesterov].contains($0.setup.training.optimizer.kind) },
    appliesTo: "the momentum and nesterov optimizers")
  public static let regularization = choice(
    "reg", page: 3, Regularization.allCases, \.setup.training.regularization, option: "--reg")
  public static let dropout = number(
    "dropout", page: 3, steps: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9], \.setup.training.dropout,
    format: { $0 == 0 ? "off" : String(format: "%.1f", $0) }, option: "--dropout", argument: { "\($0)" },
    marker: "dropout")

  /// Every knob, in the order of the panel's pages.
  public static let all: [Knob] = [
    hidden, epsilon, lambda, redraw, speed, batch, anneal, activation, layers, layer, width, dataset, samples, noise,
    classes, weightInit,
    features, optimizer, momentum, regularization, dropout,
  ]

  /// The knob pages, in order, with their titles and knobs.
  public static var pages: [(title: String, knobs: [Knob])] {
    pageTitles.indices.map { page in (pageTitles[page], all.filter { $0.page == page }) }
  }

  /// The knob named `label` (as `--hide` writes it).
  public static func named(_ label: String) -> Knob? { all.first { $0.label == label } }

  static let hiddenSteps: [Double] = [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 25, 30, 40, 50, 64, 75, 100, 128, 150, 200, 256,
  ]
}

// MARK: - Reading and moving a knob

extension Knob {
  /// Whether the knob means anything for the current data (samples and noise for generated data,
  /// classes for blobs and spiral).
  public func applies(to settings: Settings) -> Bool { access.applies(settings) }

  /// The value as the panel shows it.
  public func text(_ settings: Settings) -> String { access.text(settings) }

  /// Where the setting sits along the slider, 0...1.
  public func position(in settings: Settings) -> Double {
    let stops = access.stops(settings)
    return stops > 1 ? min(1, max(0, access.index(settings) / Double(stops - 1))) : 0
  }

  /// The settings with the knob moved `by` stops up (> 0) or down; unchanged at an end, or where
  /// the knob does not apply.
  public func stepped(_ settings: Settings, by: Int) -> Settings {
    guard applies(to: settings), by != 0 else { return settings }
    let value = access.value(settings)
    if !steps.isEmpty { return selecting(steps.firstIndex(of: stepped(value, by: by))!, in: settings) }
    return selecting(min(access.stops(settings) - 1, max(0, Int(value) + by)), in: settings)
  }

  /// The settings with the knob at the stop nearest a position 0...1 along the slider (a click).
  public func selecting(fraction: Double, in settings: Settings) -> Settings {
    let stops = access.stops(settings)
    return selecting(Int((min(1, max(0, fraction)) * Double(stops - 1)).rounded()), in: settings)
  }

  private func selecting(_ stop: Int, in settings: Settings) -> Settings {
    edited(settings) { access.select(&$0, stop) }
  }

  /// The settings changed by `edit` where the knob applies; a knob that starts a new network
  /// drops the saved model it changed (the model has the old shape).
  private func edited(_ settings: Settings, _ edit: (inout Settings) -> Void) -> Settings {
    guard applies(to: settings) else { return settings }
    var changed = settings
    edit(&changed)
    if restarts && !access.same(changed, settings) { changed.setup.initialModel = nil }
    return changed
  }

  /// Whether the knob's setting differs between the two.
  public func differs(_ a: Settings, _ b: Settings) -> Bool { !access.same(a, b) }

  /// The loss chart's marker for the knob's value in `settings`, when its changes are marked.
  public func marker(_ settings: Settings) -> String? { access.marker(settings) }

  /// The command-line words that set the knob as in `settings` (none for the default).
  public func argument(_ settings: Settings) -> [String] { access.argument(settings) ?? [] }

  // A number knob's value, for tests and for the steps of a single value.

  /// The next step above (`by` > 0) or below `value`, `by` steps away.
  public func stepped(_ value: Double, by: Int) -> Double {
    if by > 0 {
      let above = steps.firstIndex { $0 > value * (1 + 1e-9) } ?? steps.count - 1
      return steps[min(steps.count - 1, above + by - 1)]
    } else {
      let below = steps.lastIndex { $0 < value * (1 - 1e-9) || (value > 0 && $0 == 0) } ?? 0
      return steps[max(0, below + by + 1)]
    }
  }

  /// The step of a number knob nearest a position 0...1 along the slider.
  public func value(at fraction: Double) -> Double {
    steps[Int((min(1, max(0, fraction)) * Double(steps.count - 1)).rounded())]
  }

  /// Where `value` sits along a number knob's slider, 0...1.
  public func position(_ value: Double) -> Double {
    guard steps.count > 1 else { return 0 }
    return Self.index(of: value, in: steps) / Double(steps.count - 1)
  }

  /// A number knob's value as the panel shows it.
  public func format(_ value: Double) -> String { numberFormat(value) }

  /// The knob's value in `settings`: a number knob's number, a choice knob's index.
  public func value(in settings: Settings) -> Double { access.value(settings) }

  /// The settings with a number knob at `value` (a value from the command line may lie between
  /// two steps); unchanged where the knob does not apply.
  public func setting(_ value: Double, in settings: Settings) -> Settings {
    edited(settings) { access.set(&$0, value) }
  }

  /// Where `value` sits among `steps`, in steps: evenly by step, and in log space between two
  /// steps (so a value from the command line such as 0.03 lands between 0.02 and 0.05).
  static func index(of value: Double, in steps: [Double]) -> Double {
    guard let last = steps.last, steps.count > 1 else { return 0 }
    if value >= last { return Double(steps.count - 1) }
    guard let upper = steps.firstIndex(where: { $0 >= value }), upper > 0 else { return 0 }
    let (a, b) = (steps[upper - 1], steps[upper])
    let t: Double
    if a > 0 && b.isFinite { t = log(value / a) / log(b / a) } else { t = value == b ? 1 : 0 }
    return Double(upper - 1) + t
  }
}

// MARK: - Building rows

/// A setting a number knob can hold: converted to and from the slider's `Double`.
protocol KnobNumber: Equatable, Sendable {
  var knobValue: Double { get }
  init(knobValue: Double)
  /// The value as the command line takes it back exactly.
  var argument: String { get }
}

extension Double: KnobNumber {
  var knobValue: Double { self }
  init(knobValue: Double) { self = knobValue }
  var argument: String { "\(self)" }  // the shortest text that reads back as the same number
}

extension Int: KnobNumber {
  var knobValue: Double { Double(self) }
  init(knobValue: Double) { self = Int(knobValue) }
  var argument: String { "\(self)" }
}

/// An optional count, where 0 on the slider is "none" (the whole batch).
extension Optional: KnobNumber where Wrapped == Int {
  var knobValue: Double { Double(self ?? 0) }
  init(knobValue: Double) { self = knobValue == 0 ? nil : Int(knobValue) }
  var argument: String { "\(self ?? 0)" }
}

/// A setting a choice knob can hold, with the name the panel and the command line use.
protocol KnobChoice: Equatable, Sendable {
  var choiceName: String { get }
  /// The command-line words that choose it.
  func arguments(option: String) -> [String]
}

extension KnobChoice {
  func arguments(option: String) -> [String] { [option, choiceName] }
}

extension Activation: KnobChoice {
  var choiceName: String { rawValue }
}

extension WeightInit: KnobChoice {
  var choiceName: String { rawValue }
}

extension OptimizerKind: KnobChoice {
  var choiceName: String { rawValue }
}

extension Regularization: KnobChoice {
  var choiceName: String { rawValue }
}

extension InputFeatures: KnobChoice {
  /// Short enough for the panel: the presets by name, any other set by its size.
  var choiceName: String {
    let names = [
      "x1sq,x2sq": "squares", "x1,x2,x1sq,x2sq": "x, squares", "x1,x2,x1x2": "x, x1x2",
      "x1,x2,sinx1,sinx2": "x, sines",
    ]
    if list.count == InputFeature.allCases.count { return "all 7" }
    return names[description] ?? (description.count <= 9 ? description : "\(list.count) features")
  }
  func arguments(option: String) -> [String] { [option, description] }

  /// The feature sets the knob steps through: the post's, the squares (a straight line then
  /// separates the circles), with the product, the sines, all seven; and `current` if it is none of them.
  static func presets(with current: InputFeatures) -> [InputFeatures] {
    let presets = [
      InputFeatures.raw, InputFeatures(list: [.x1sq, .x2sq]), InputFeatures(list: [.x1, .x2, .x1sq, .x2sq]),
      InputFeatures(list: [.x1, .x2, .x1x2]), InputFeatures(list: [.x1, .x2, .sinx1, .sinx2]),
      InputFeatures(list: InputFeature.allCases),
    ]
    return presets.contains(current) ? presets : presets + [current]
  }
}

extension DataSource: KnobChoice {
  var choiceName: String {
    switch self {
    case .generated(let kind): return kind.rawValue
    case .file: return "file"
    }
  }

  func arguments(option: String) -> [String] {
    switch self {
    case .generated(let kind): return [option, kind.rawValue]
    case .file(let path): return ["--data", path]
    }
  }
}

extension Knob {
  /// A row whose value moves along `steps`.
  fileprivate static func number<Value: KnobNumber>(
    _ label: String, page: Int, restarts: Bool = false, steps: [Double], _ field: WritableKeyPath<Settings, Value>,
    format: @escaping @Sendable (Double) -> String = { String(Int($0)) }, option: String,
    argument: (@Sendable (Double) -> String)? = nil, marker: String? = nil,
    markerText: (@Sendable (Settings) -> String)? = nil,
    applies: @escaping @Sendable (Settings) -> Bool = { _ in true }, appliesTo: String? = nil,
    isDefault: (@Sendable (Settings) -> Bool)? = nil, same: (@Sendable (Settings, Settings) -> Bool)? = nil
  ) -> Knob {
    nonisolated(unsafe) let field = field  // key paths are immutable values
    let written = argument ?? { Value(knobValue: $0).argument }
    let defaults = Settings()
    let isDefault = isDefault ?? { $0[keyPath: field] == defaults[keyPath: field] }
    return Knob(
      label: label, page: page, restarts: restarts, steps: steps, appliesTo: appliesTo, numberFormat: format,
      access: Access(
        stops: { _ in steps.count },
        value: { $0[keyPath: field].knobValue },
        index: { index(of: $0[keyPath: field].knobValue, in: steps) },
        select: { $0[keyPath: field] = Value(knobValue: steps[min(steps.count - 1, max(0, $1))]) },
        set: { $0[keyPath: field] = Value(knobValue: $1) },
        text: { format($0[keyPath: field].knobValue) },
        argument: { settings in
          guard applies(settings), !isDefault(settings) else { return nil }
          return [option, written(settings[keyPath: field].knobValue)]
        },
        marker: { settings in
          if let markerText { return markerText(settings) }
          guard let marker else { return restarts ? "\(label) \(format(settings[keyPath: field].knobValue))" : nil }
          return "\(marker) \(format(settings[keyPath: field].knobValue))"
        },
        applies: applies,
        same: same ?? { $0[keyPath: field] == $1[keyPath: field] }))
  }

  /// A row whose value is one of `choices`.
  fileprivate static func choice<Value: KnobChoice>(
    _ label: String, page: Int, restarts: Bool = false, _ choices: [Value], _ field: WritableKeyPath<Settings, Value>,
    option: String
  ) -> Knob {
    choice(label, page: page, restarts: restarts, { _ in choices }, field, option: option)
  }

  /// A row whose choices depend on the settings (the dataset knob offers the CSV only when given).
  fileprivate static func choice<Value: KnobChoice>(
    _ label: String, page: Int, restarts: Bool = false, _ choices: @escaping @Sendable (Settings) -> [Value],
    _ field: WritableKeyPath<Settings, Value>, option: String,
    applies: @escaping @Sendable (Settings) -> Bool = { _ in true }, appliesTo: String? = nil
  ) -> Knob {
    nonisolated(unsafe) let field = field  // key paths are immutable values
    let defaults = Settings()
    let index: @Sendable (Settings) -> Double = { settings in
      Double(choices(settings).firstIndex(of: settings[keyPath: field]) ?? 0)
    }
    let select: @Sendable (inout Settings, Int) -> Void = { settings, stop in
      let options = choices(settings)
      settings[keyPath: field] = options[min(options.count - 1, max(0, stop))]
    }
    return Knob(
      label: label, page: page, restarts: restarts, steps: [], appliesTo: appliesTo, numberFormat: { String($0) },
      access: Access(
        stops: { choices($0).count },
        value: index,
        index: index,
        select: select,
        set: { select(&$0, Int($1)) },
        text: { $0[keyPath: field].choiceName },
        argument: { settings in
          settings[keyPath: field] == defaults[keyPath: field]
            ? nil : settings[keyPath: field].arguments(option: option)
        },
        marker: { "\(label) \($0[keyPath: field].choiceName)" },
        applies: applies,
        same: { $0[keyPath: field] == $1[keyPath: field] }))
  }
}

extension Knob: Hashable {
  public static func == (a: Knob, b: Knob) -> Bool { a.label == b.label }
  public func hash(into hasher: inout Hasher) { hasher.combine(label) }
}

extension Knob: CustomStringConvertible {
  public var description: String { label }
}

/// 1, 2, 5 in every decade from 10^lo to 10^hi (the last one alone).
private func decades(from lo: Int, to hi: Int) -> [Double] {
  var values: [Double] = []
  for e in lo..<hi {
    for m in [1.0, 2.0, 5.0] { values.append(Double(String(format: "%.1g", m * pow(10, Double(e))))!) }
  }
  values.append(pow(10, Double(hi)))
  return values
}

/// Rates as people write them: 0.01, 0.0005, 1e-05 below that.
@Sendable func formatRate(_ value: Double) -> String {
  if value == 0 { return "0" }
  if value >= 1e-4 && value < 1000 {
    var text = String(format: "%.6f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }
  return String(format: "%.0e", value)
}

/// 1.2k, 45k, 1.3M. The unit is chosen after rounding, so 999.6 reads 1.0k (not 1000) and
/// 9,996 reads 10k (not 10.0k): a column of paces keeps one width.
@Sendable func compact(_ value: Double) -> String {
  if value < 999.5 { return String(format: "%.0f", value) }
  let (scaled, unit) = value < 999_500 ? (value / 1e3, "k") : (value / 1e6, "M")
  return String(format: scaled < 9.95 ? "%.1f" : "%.0f", scaled) + unit
}
