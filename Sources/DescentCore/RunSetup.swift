/// Where the points come from.
public enum DataSource: Sendable, Equatable {
  case generated(DatasetKind)
  /// A CSV file of features then an integer class label.
  case file(String)
}

/// Everything that defines a training run: the data, the network's shape and the knobs. The
/// same seed and setup always give the same run.
public struct RunSetup: Sendable, Equatable {
  public var source: DataSource = .generated(.moons)
  public var samples = 200
  /// `nil` uses the data set's default (0.2, or 1.0 for blobs).
  public var noise: Double?
  public var classes = 2
  /// Seeds the data, the split, the initial weights and the minibatch order.
  public var seed: UInt32 = 0
  /// Seeds the initial weights and the minibatch order instead of `seed`, when set (new weights on
  /// the same data).
  public var weightSeed: UInt32?
  public var testFraction = 0.0
  public var hidden = 3
  public var layers = 1
  /// A width per hidden layer (`--hidden 8,4`), from the input side; when set, `hidden` and
  /// `layers` are not used.
  public var widths: [Int]?
  public var activation = Activation.tanh
  /// How the first weights are drawn (the post's: `randn / sqrt(fan_in)`).
  public var weightInit = WeightInit.fanIn
  /// What the network reads of each point.
  public var features = InputFeatures.raw
  /// Classes (the post's) or a real target.
  public var task = LearningTask.classification
  public var training = TrainingConfig()
  /// Start from this saved model instead of random weights.
  public var initialModel: String?

  public init() {}

  /// The post's setup: moons(200, noise 0.2), 3 tanh units, ε = λ = 0.01, seed 0.
  public static let post = RunSetup()
  /// The post's `num_passes`: 20,000 iterations of gradient descent.
  public static let postPasses = 20000
  /// The hidden sizes of the post's last figure (`hidden_layer_dimensions`).
  public static let postSweepSizes = [1, 2, 3, 4, 5, 20, 50]

  /// The training and (when `testFraction > 0`) test points.
  public func loadData() throws -> (train: Dataset, test: Dataset?) {
    let all: Dataset
    switch source {
    case .generated(let kind):
      guard kind.task == task else {
        let fitting = DatasetKind.allCases.filter { $0.task == task }.map(\.rawValue).joined(separator: ", ")
        throw InputError(
          "--dataset \(kind.rawValue) is for \(kind.task.rawValue); with --task \(task.rawValue) use one of \(fitting)")
      }
      all = Dataset.generate(kind, samples: samples, noise: noise, classes: classes, seed: seed)
    case .file(let path):
      all = try Dataset.readCSV(path, task: task)
    }
    try features.check(columns: all.features)
    let (train, test) = all.split(testFraction: testFraction, seed: seed)
    guard train.count >= 1, (test?.count ?? 1) >= 1 else {
      throw InputError(
        "--test-fraction \(testFraction) leaves no \(train.count == 0 ? "training" : "test") points out of \(all.count)"
      )
    }
    return (train, test)
  }

  /// Whether `other` makes the same points (so a restart need not make them again).
  public func sameData(as other: RunSetup) -> Bool {
    source == other.source && samples == other.samples && noise == other.noise && classes == other.classes
      && seed == other.seed && testFraction == other.testFraction && task == other.task
  }

  /// The hidden layers' widths, from the input side.
  public var hiddenWidths: [Int] { widths ?? [Int](repeating: hidden, count: layers) }

  /// Units per layer for data with `columns` columns and `classes` classes: the features the
  /// first layer reads, the hidden widths, then the outputs.
  public func sizes(features columns: Int, classes: Int) -> [Int] {
    [features.count(columns: columns)] + hiddenWidths + [task.outputs(classes: classes)]
  }

  /// A trainer on this setup's data, from a fresh network (or the saved initial model).
  public func makeTrainer() throws -> Trainer {
    let (train, test) = try loadData()
    return try makeTrainer(train: train, test: test)
  }

  /// A trainer on data already loaded, so a restart need not read the file again.
  public func makeTrainer(train: Dataset, test: Dataset?) throws -> Trainer {
    let classes = max(train.classes, test?.classes ?? 2)
    guard let path = initialModel else {
      var rng = RandomState(seed: weightSeed ?? seed)
      let network = Network(
        sizes: sizes(features: train.features, classes: classes), activation: activation, features: features,
        task: task, weightInit: weightInit, rng: &rng)
      return Trainer(network: network, data: train, test: test, config: training, rng: rng)
    }
    let network = try Network.load(from: path)
    guard network.task == task else {
      throw InputError("\(path): the model is for \(network.task.rawValue); add --task \(network.task.rawValue)")
    }
    guard network.features == features else {
      throw InputError(
        "\(path): the model reads features \(network.features.description); add --features \(network.features.description)"
      )
    }
    let inputs = features.count(columns: train.features)
    guard network.inputs == inputs else {
      throw InputError("\(path): the model takes \(network.inputs) inputs, but the data has \(inputs) features")
    }
    guard task == .regression || network.classes == classes else {
      throw InputError("\(path): the model has \(network.classes) outputs, but the data has \(classes) classes")
    }
    var rng = RandomState(seed: weightSeed ?? seed)
    _ = Network(sizes: network.sizes, activation: network.activation, rng: &rng)  // as the fresh network would draw
    return Trainer(network: network, data: train, test: test, config: training, rng: rng)
  }
}
