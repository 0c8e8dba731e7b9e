@testable import DescentCore
import Foundation
import Testing

@Suite("Issue 17's options in the core")
struct PlaygroundOptionsTests {
  @Test func everyNewCombinationPassesTheGradientCheck() {
    let results = GradientCheck.playgroundCases()
    #expect(results.count == 13)
    for r in results { #expect(r.worstRelativeError < 1e-6, "\(r.name)") }
  }

  @Test func featuresAreComputedInTheOrderGiven() throws {
    let features = try InputFeatures(parsing: "sinx2,x1x2,x1sq,x2,x1,x2sq,sinx1")
    let out = features.expand(Matrix([[0.5, -2]]))
    #expect(out.storage == [sin(-2), -1, 0.25, -2, 0.5, 4, sin(0.5)])
    #expect(try InputFeatures(parsing: "x1,x2") == .raw)
    #expect(throws: InputError("--features: 'x3' is not one of x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2")) {
      try InputFeatures(parsing: "x1,x3")
    }
    #expect(throws: InputError("--features: x1 is listed twice")) { try InputFeatures(parsing: "x1,x1") }
    #expect(throws: InputError("--features x2sq needs 2 input columns; the data has 1")) {
      try InputFeatures(list: [.x2sq]).check(columns: 1)
    }
    // Named, x1,x2 is the raw columns of two-column data only.
    #expect(throws: InputError("--features x2 needs 2 input columns; the data has 1")) {
      try InputFeatures(parsing: "x1,x2").check(columns: 1)
    }
    let threeColumns = "--features x1,x2 reads 2 of the data's 3 columns; leave --features out to read them all"
    #expect(throws: InputError(threeColumns)) { try InputFeatures(parsing: "x1,x2").check(columns: 3) }
    try InputFeatures(parsing: "x1,x2").check(columns: 2)
    try InputFeatures.raw.check(columns: 1)
  }

  /// The post's remark: a linear model fits the circles once it has x1² and x2².
  @Test func theBaselineFitsCirclesWithSquaredFeatures() throws {
    let data = Dataset.generate(.circles, samples: 200, noise: 0.05, seed: 0)
    let plain = LogisticRegression.fitCV(data)
    let squared = LogisticRegression.fitCV(data, features: InputFeatures(list: [.x1sq, .x2sq]))
    #expect(plain.accuracy(on: data) < 0.7)
    #expect(squared.accuracy(on: data) > 0.95)
    // The plot asks point by point: the same answer as the whole matrix.
    let predicted = squared.predict(data.X)
    for r in 0..<data.count { #expect(squared.predict(x: data.X[r, 0], y: data.X[r, 1]) == predicted[r]) }
  }

  @Test func thePostsShapeStillTrainsInOnePass() throws {
    #expect(Network(sizes: [2, 3, 2]).trainsInOnePass)
    var rng = RandomState(seed: 0)
    #expect(Network(sizes: [2, 3, 1], task: .regression, rng: &rng).trainsInOnePass)
    #expect(!Network(sizes: [2, 3, 3, 1], task: .regression, rng: &rng).trainsInOnePass)
  }

  /// Plain descent with the post's L2 gives the same bits through the general optimizer path as
  /// through the post's own update (L1 at λ = 0 is L2 at λ = 0, and takes the general path).
  @Test func theGeneralUpdateGivesThePostsBits() throws {
    var setup = RunSetup.post
    setup.training.lambda = 0
    let post = try setup.makeTrainer()
    setup.training.regularization = .l1
    let general = try setup.makeTrainer()
    post.train(500)
    general.train(500)
    #expect(post.network.layers == general.network.layers)
  }

  @Test func switchingTheOptimizerStartsItsMemoryAfresh() throws {
    var setup = RunSetup.post
    setup.training.optimizer = Optimizer(.momentum)
    let switched = try setup.makeTrainer()
    switched.train(50)
    switched.config.optimizer = Optimizer(.gd)
    switched.train(1)
    switched.config.optimizer = Optimizer(.momentum)
    let network = switched.network
    switched.train(1)
    // From v = 0, one momentum step is one plain step.
    let plain = try RunSetup.post.makeTrainer()
    plain.load(network)
    plain.train(1)
    #expect(switched.network.layers == plain.network.layers)
  }

  @Test func dropoutLeavesLossAndAccuracyUndropped() throws {
    var setup = RunSetup.post
    setup.hidden = 10
    setup.training.dropout = 0.5
    let trainer = try setup.makeTrainer()
    trainer.train(10)
    let network = trainer.network
    #expect(trainer.loss() == network.loss(on: trainer.data, lambda: 0.01))
    #expect(trainer.loss() == trainer.loss())  // no mask drawn when evaluating
  }

  @Test func regressionDataSetsAreThePlaygrounds() {
    let plane = Dataset.generate(.plane, samples: 50, seed: 3)
    #expect(plane.features == 2 && plane.targets?.count == 50)
    for r in 0..<50 {
      // Without noise the target is x + y scaled from [-10, 10] to [-1, 1].
      #expect(abs(plane.targets![r] - (plane.X[r, 0] + plane.X[r, 1]) / 10) < 1e-15)
      #expect(abs(plane.X[r, 0]) <= 6 && abs(plane.X[r, 1]) <= 6)
    }
    let gauss = Dataset.generate(.gauss, samples: 400, seed: 3)
    #expect(gauss.targets!.allSatisfy { abs($0) <= 1 })
    #expect(gauss.targets!.contains { $0 > 0.7 } && gauss.targets!.contains { $0 < -0.7 })
    // Without noise, a point 1 from the bump at (4, -2.5) (sign -1) and farther from the others: -0.5.
    let bumps: [(Double, Double, Double)] = [
      (-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1),
    ]
    for r in 0..<400 {
      let (x, y) = (gauss.X[r, 0], gauss.X[r, 1])
      let values = bumps.map { cx, cy, sign in
        sign * min(1, max(0, 1 - ((x - cx) * (x - cx) + (y - cy) * (y - cy)).squareRoot() / 2))
      }
      let expected = values.max { abs($0) < abs($1) }!
      #expect(abs(gauss.targets![r] - expected) < 1e-15 || abs(expected) == 0)
    }
    let sine = Dataset.generate(.sine, samples: 100, noise: 0, seed: 1)
    #expect(sine.features == 1)
    for r in 0..<100 { #expect(sine.targets![r] == sin(sine.X.storage[r])) }
  }

  @Test func aRegressionCSVReadsRealTargets() throws {
    let data = try Dataset.parseCSV("x,target\n1,0.5\n2,-1.25\n", task: .regression)
    #expect(data.targets == [0.5, -1.25] && data.X.storage == [1, 2])
    #expect(throws: InputError("data: line 1, column 2: target 'abc' is not a finite number")) {
      try Dataset.parseCSV("1,abc\n", name: "data", task: .regression)
    }
  }
}

@Suite("Model files, descent-model/2")
struct ModelFormatTwoTests {
  @Test func aRegressionNetworkWithFeaturesAndWidthsRoundTrips() throws {
    var setup = RunSetup()
    setup.source = .generated(.gauss)
    setup.task = .regression
    setup.widths = [6, 4]
    setup.features = InputFeatures(list: [.x1, .x2, .x1x2, .sinx1])
    let trainer = try setup.makeTrainer()
    trainer.train(20)
    let text = trainer.network.modelJSON()
    #expect(text.contains("\"task\": \"regression\""))
    #expect(text.contains("\"features\": [\"x1\", \"x2\", \"x1x2\", \"sinx1\"]"))
    #expect(text.contains("\"widths\": [4, 6, 4, 1]"))
    #expect(try Network.parseModel(text) == trainer.network)
  }

  @Test func aFirstFormatFileStillLoads() throws {
    let text = """
      {"format": "descent-model/1", "activation": "tanh", "layers": [
        {"weights": [[1, 2, 3], [4, 5, 6]], "biases": [0, 0, 0]},
        {"weights": [[1, 2], [3, 4], [5, 6]], "biases": [0.5, 0]}]}
      """
    let network = try Network.parseModel(text)
    #expect(network.sizes == [2, 3, 2] && network.features == .raw && network.task == .classification)
  }

  static let bad: [(String, String)] = [
    (
      #"{"format": "descent-model/2", "activation": "tanh", "features": [], "widths": [1, 2], "layers": [{"weights": [[1, 2]], "biases": [0, 0]}]}"#,
      "m.json: is missing \"task\""
    ),
    (
      #"{"format": "descent-model/1", "task": "regression", "activation": "tanh", "layers": [{"weights": [[1, 2]], "biases": [0, 0]}]}"#,
      "m.json: \"task\" is not part of descent-model/1; write descent-model/2"
    ),
    (
      #"{"format": "descent-model/2", "task": "regression", "activation": "tanh", "features": [], "widths": [1, 2], "layers": [{"weights": [[1, 2]], "biases": [0, 0]}]}"#,
      "m.json: the last layer has 2 outputs; regression has 1"
    ),
    (
      #"{"format": "descent-model/2", "task": "classification", "activation": "tanh", "features": ["x9"], "widths": [1, 2], "layers": [{"weights": [[1, 2]], "biases": [0, 0]}]}"#,
      "m.json: feature \"x9\" is repeated or not one of x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2"
    ),
    (
      #"{"format": "descent-model/2", "task": "classification", "activation": "tanh", "features": [], "widths": [1, 3], "layers": [{"weights": [[1, 2]], "biases": [0, 0]}]}"#,
      "m.json: widths do not match the layers, which are [1, 2] units wide"
    ),
    (
      #"{"format": "descent-model/2", "task": "classification", "activation": "tanh", "features": ["x1", "x2", "x1sq"], "widths": [1, 2], "layers": [{"weights": [[1, 2]], "biases": [0, 0]}]}"#,
      "m.json: 3 features for a first layer of 1 inputs"
    ),
  ]

  @Test(arguments: bad)
  func badSecondFormatFilesSayWhatIsWrong(_ c: (String, String)) {
    #expect(throws: InputError(c.1)) { try Network.parseModel(c.0, name: "m.json") }
  }
}
