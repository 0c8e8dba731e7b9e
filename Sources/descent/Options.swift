import ArgumentParser
import DescentCore

extension DatasetKind: ExpressibleByArgument {}
extension Activation: ExpressibleByArgument {}
extension GradientScale: ExpressibleByArgument {}

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
  @Option(help: "Built-in data set: moons, circles, xor, blobs or spiral.")
  var dataset: DatasetKind = .moons

  @Option(help: "Points to generate (2 to 1000000).")
  var samples = 200

  @Option(help: "Noise of the generated points, 0 to 10 (default 0.2; 1.0 for blobs).")
  var noise: Double?

  @Option(help: "Classes, for blobs and spiral: 2 to 10 (default 2; 3 for spiral).")
  var classes: Int?

  @Option(help: "Seed for the data, the test split, the initial weights and the minibatch order (0 to 4294967295).")
  var seed: Int = 0

  @Option(help: "Read the points from a CSV file instead: feature columns, then an integer class label.")
  var data: String?

  @Option(help: "Fraction of the points held out as a test set, 0 to 0.9.")
  var testFraction = 0.0

  func validate() throws {
    try require(samples, in: 2...1_000_000, "--samples")
    if let noise { try require(noise, in: 0...10, "--noise") }
    if let classes {
      guard dataset.hasClassCount || data != nil else {
        throw ValidationError("--classes applies to --dataset blobs or spiral; \(dataset.rawValue) has 2 classes")
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
    setup.classes = classes ?? (dataset == .spiral ? 3 : 2)
    setup.seed = UInt32(seed)
    setup.testFraction = testFraction
  }
}

/// The network's shape.
struct NetworkOptions: ParsableArguments {
  @Option(help: "Units in each hidden layer, 1 to 1024 (default 3).")
  var hidden: Int?

  @Option(help: "Hidden layers, 1 to 8 (default 1).")
  var layers: Int?

  @Option(help: "Hidden activation: tanh, sigmoid or relu.")
  var activation: Activation = .tanh

  func validate() throws {
    if let hidden { try require(hidden, in: 1...1024, "--hidden") }
    if let layers { try require(layers, in: 1...8, "--layers") }
  }

  func apply(to setup: inout RunSetup) {
    setup.hidden = hidden ?? 3
    setup.layers = layers ?? 1
    setup.activation = activation
  }
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

  @Option(help: "sum (the post's) or mean: divide the data term of each gradient by the batch size.")
  var gradient: GradientScale = .sum

  func validate() throws {
    guard epsilon > 0 && epsilon <= 100 else {
      throw ValidationError("--epsilon must be above 0 and at most 100; got \(epsilon)")
    }
    try require(lambda, in: 0...100, "--lambda")
    if let batchSize { try require(batchSize, in: 1...1_000_000, "--batch-size") }
    try require(anneal, in: 0...1000, "--anneal")
  }

  func apply(to setup: inout RunSetup) {
    setup.training = TrainingConfig(
      epsilon: epsilon, lambda: lambda, batchSize: batchSize, anneal: anneal, gradient: gradient)
  }
}

/// Everything that sets up a run, shared by the commands.
struct SetupOptions: ParsableArguments {
  @OptionGroup(title: "Data") var data: DataOptions
  @OptionGroup(title: "Network") var network: NetworkOptions
  @OptionGroup(title: "Gradient descent") var training: TrainingOptions

  @Option(name: .customLong("init"), help: "Start from a saved model (descent-model/1 JSON) instead of random weights.")
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
  }

  var setup: RunSetup {
    var setup = RunSetup()
    data.apply(to: &setup)
    network.apply(to: &setup)
    training.apply(to: &setup)
    setup.initialModel = initialModel
    setup.weightSeed = weightSeed.map(UInt32.init)
    return setup
  }
}
