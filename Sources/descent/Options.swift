import ArgumentParser
import DescentCore

extension DatasetKind: ExpressibleByArgument {}
extension Activation: ExpressibleByArgument {}
extension WeightInit: ExpressibleByArgument {}
extension GradientScale: ExpressibleByArgument {}
extension LearningTask: ExpressibleByArgument {}
extension Regularization: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}

/// Checks that `value` lies in `range`, or fails with a one-line message naming the option.
func require<T: Comparable>(_ value: T, in range: ClosedRange<T>, _ option: String, _ accepted: String? = nil)
  throws
{
  guard range.contains(value) else {
    throw ValidationError(
      "\(option) must be \(accepted ?? "from \(range.lowerBound) to \(range.upperBound)"); got \(value)")
  }
}

/// Where the points come from.
struct DataOptions: ParsableArguments {
  @Option(help: "Built-in data set: moons, circles, xor, blobs or spiral; for --task regression plane, gauss or sine.")
  var dataset: DatasetKind = .moons

  @Option(help: "Points to generate (2 to 1000000).")
  var samples = 200

  @Option(help: "Noise of the generated points, 0 to 10 (default 0.2; 1.0 for blobs).")
  var noise: Double?

  @Option(help: "Classes, for blobs and spiral: 2 to 10 (default 2; 3 for spiral).")
  var classes: Int?

  @Option(help: "Seed for the data, the test split, the initial weights and the minibatch order (0 to 4294967295).")
  var seed: Int = 0

  @Option(
    help:
      "Read the points from a CSV file instead: feature columns, then an integer class label (a real target for --task regression)."
  )
  var data: String?

  @Option(help: "Fraction of the points held out as a test set, 0 to 0.9.")
  var testFraction = 0.0

  func validate() throws {
    try require(samples, in: 2...1_000_000, "--samples")
    if let noise { try require(noise, in: 0...10, "--noise") }
    if let classes {
      guard dataset.hasClassCount || data != nil else {
        let what =
          dataset.task == .regression ? "is a regression data set (a real target, no classes)" : "has 2 classes"
        throw ValidationError("--classes applies to --dataset blobs or spiral; \(dataset.rawValue) \(what)")
      }
      try require(classes, in: 2...10, "--classes")
    }
    try require(seed, in: 0...Int(UInt32.max), "--seed")
    try require(testFraction, in: 0...0.9, "--test-fraction")
    if data != nil && classes != nil {
      throw ValidationError("--classes cannot be used with --data; the file's labels set the classes")
    }
    if data != nil && noise != nil {
      throw ValidationError("--noise applies to generated points; --data reads the points as they are")
    }
  }

  func apply(to setup: inout RunSetup) {
    setup.source = data.map { .file($0) } ?? .generated(dataset)
    setup.samples = samples
    setup.noise = noise
    setup.classes = classes ?? dataset.defaultClasses
    setup.seed = UInt32(seed)
    setup.testFraction = testFraction
  }
}

/// The network's shape.
struct NetworkOptions: ParsableArguments {
  @Option(help: "Units in each hidden layer, 1 to 1024 (default 3); or a width per layer from the input side: 8,4.")
  var hidden: String?

  @Option(help: "Hidden layers, 1 to 8 (default 1), each --hidden units wide.")
  var layers: Int?

  @Option(help: "Hidden activation: tanh, sigmoid or relu.")
  var activation: Activation = .tanh

  @Option(help: "Input features, in this order: x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2 (default x1,x2).")
  var features: String?

  @Option(help: "classification (the post's) or regression: one linear output, squared loss.")
  var task: LearningTask = .classification

  @Option(help: "Initial weights: fan-in (the post's randn / sqrt(fan_in)), unit (randn) or small (0.01 randn).")
  var weightInit: WeightInit = .fanIn

  /// The widths `--hidden` lists, checked; one number is `[n]`.
  func widths() throws -> [Int]? {
    guard let hidden else { return nil }
    let words = hidden.split(separator: ",", omittingEmptySubsequences: false)
    var widths: [Int] = []
    for word in words {
      guard let width = Int(word.trimmingCharacters(in: .whitespaces)) else {
        throw ValidationError("--hidden must be a whole number from 1 to 1024, or a list like 8,4; got '\(hidden)'")
      }
      try require(width, in: 1...1024, "--hidden")
      widths.append(width)
    }
    try require(widths.count, in: 1...8, "--hidden", "a list of 1 to 8 widths")
    return widths
  }

  func validate() throws {
    let widths = try widths()
    if let layers {
      try require(layers, in: 1...8, "--layers")
      if let widths, widths.count > 1 {
        throw ValidationError(
          "--layers cannot be used with a list of widths; --hidden \(hidden!) already gives \(widths.count) layers")
      }
    }
    if let features { _ = try parseFeatures(features) }
  }

  func apply(to setup: inout RunSetup) {
    let widths = (try? widths()) ?? nil
    setup.hidden = widths?.first ?? 3
    setup.layers = layers ?? 1
    setup.widths = widths.flatMap { $0.count > 1 ? $0 : nil }
    setup.activation = activation
    setup.features = features.flatMap { try? parseFeatures($0) } ?? .raw
    setup.task = task
    setup.weightInit = weightInit
  }
}

/// `--features` parsed, its error a validation error (exit 64).
func parseFeatures(_ text: String) throws -> InputFeatures {
  do { return try InputFeatures(parsing: text) } catch let error as InputError { throw ValidationError(error.message) }
}

/// Gradient descent's knobs.
struct TrainingOptions: ParsableArguments {
  @Option(help: "Learning rate epsilon, above 0 and at most 100.")
  var epsilon = 0.01

  @Option(help: "L2 regularization strength lambda, 0 to 100.")
  var lambda = 0.01

  @Option(help: "Points per minibatch (default: all, the post's batch gradient descent).")
  var batchSize: Int?

  @Option(help: "Annealing rate k: epsilon_t = epsilon / (1 + k t); 0 to 1000.")
  var anneal = 0.0

  @Option(
    help:
      "sum (the post's, the default for classes) or mean (the default for --task regression): divide the data term of each gradient by the batch size."
  )
  var gradient: GradientScale?

  @Option(help: "The penalty lambda weighs: l2 (the post's, lambda/2 sum W^2) or l1 (lambda sum |W|).")
  var reg: Regularization = .l2

  @Option(help: "gd (the post's), momentum, nesterov or adam.")
  var optimizer: OptimizerKind = .gd

  @Option(help: "Momentum mu for --optimizer momentum or nesterov, 0 to 0.999 (default 0.9).")
  var momentum: Double?

  @Option(help: "Adam's beta1, 0 to 0.999 (default 0.9).")
  var beta1: Double?

  @Option(help: "Adam's beta2, 0 to 0.999999 (default 0.999).")
  var beta2: Double?

  @Option(help: "Adam's eps added to the root of the second moment, 1e-12 to 1 (default 1e-8).")
  var adamEpsilon: Double?

  @Option(help: "Dropout: the probability p, 0 to 0.9, that a hidden unit is dropped in a training step.")
  var dropout = 0.0

  func validate() throws {
    guard epsilon > 0 && epsilon <= 100 else {
      throw ValidationError("--epsilon must be above 0 and at most 100; got \(epsilon)")
    }
    try require(lambda, in: 0...100, "--lambda")
    if let batchSize { try require(batchSize, in: 1...1_000_000, "--batch-size") }
    try require(anneal, in: 0...1000, "--anneal")
    if let momentum {
      guard optimizer == .momentum || optimizer == .nesterov else {
        throw ValidationError("--momentum applies to --optimizer momentum or nesterov; got --optimizer \(optimizer)")
      }
      try require(momentum, in: 0...0.999, "--momentum")
    }
    for (value, name, top) in [
      (beta1, "--beta1", 0.999), (beta2, "--beta2", 0.999_999), (adamEpsilon, "--adam-epsilon", 1),
    ] {
      guard let value else { continue }
      guard optimizer == .adam else {
        throw ValidationError("\(name) applies to --optimizer adam; got --optimizer \(optimizer)")
      }
      try require(value, in: (name == "--adam-epsilon" ? 1e-12 : 0)...top, name)
    }
    try require(dropout, in: 0...0.9, "--dropout")
  }

  func apply(to setup: inout RunSetup) {
    let optimizer = Optimizer(
      self.optimizer, momentum: momentum ?? 0.9, beta1: beta1 ?? 0.9, beta2: beta2 ?? 0.999,
      epsilon: adamEpsilon ?? 1e-8)
    setup.training = TrainingConfig(
      epsilon: epsilon, lambda: lambda, batchSize: batchSize, anneal: anneal,
      gradient: gradient ?? setup.task.defaultGradient,
      regularization: reg, optimizer: optimizer, dropout: dropout)
  }
}

/// Everything that sets up a run, shared by the commands.
struct SetupOptions: ParsableArguments {
  @OptionGroup(title: "Data") var data: DataOptions
  @OptionGroup(title: "Network") var network: NetworkOptions
  @OptionGroup(title: "Gradient descent") var training: TrainingOptions

  @Option(
    name: .customLong("init"), help: "Start from a saved model (descent-model/2 or /1 JSON) instead of random weights.")
  var initialModel: String?

  @Option(
    help:
      "Seed for the initial weights and the minibatch order only, keeping --seed's data (what n picks in the dashboard)."
  )
  var weightSeed: Int?

  func validate() throws {
    if let weightSeed { try require(weightSeed, in: 0...Int(UInt32.max), "--weight-seed") }
    if initialModel != nil && (network.hidden != nil || network.layers != nil) {
      throw ValidationError("--init takes the network's shape from the model file; drop --hidden and --layers")
    }
    let task = network.task
    if data.data == nil && data.dataset.task != task {
      let fitting = DatasetKind.allCases.filter { $0.task == task }.map(\.rawValue).joined(separator: ", ")
      throw ValidationError(
        "--dataset \(data.dataset.rawValue) is for \(data.dataset.task.rawValue); with --task \(task.rawValue) use one of \(fitting)"
      )
    }
    if task == .regression && data.classes != nil {
      throw ValidationError("--classes applies to classification; regression has one real target")
    }
  }

  var setup: RunSetup {
    var setup = RunSetup()
    data.apply(to: &setup)
    network.apply(to: &setup)
    training.apply(to: &setup)  // after the network: the default gradient is the task's
    setup.initialModel = initialModel
    setup.weightSeed = weightSeed.map(UInt32.init)
    return setup
  }
}
