import ArgumentParser
import DescentCore
import Foundation

/// `descent sweep`: the post's "varying the hidden layer size", as a table.
struct Sweep: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train one network per hidden size and print the final loss and accuracy of each.",
    discussion: "With no options this is the post's sweep: sizes 1, 2, 3, 4, 5, 20 and 50, 20,000 passes each.")

  @OptionGroup var options: SetupOptions

  @Option(help: "Hidden sizes, comma-separated, each 1 to 1024.")
  var sizes = RunSetup.postSweepSizes.map(String.init).joined(separator: ",")

  @Option(help: "Gradient descent iterations for each size, 1 to 100000000.")
  var passes = RunSetup.postPasses

  /// The sizes as numbers, checked.
  func hiddenSizes() throws -> [Int] { try parseSizes(sizes) }

  /// How the loss behaved at the end: settled, a two-state oscillation (the post's 3 units: which
  /// state the last pass lands on depends on the last bit of rounding), still falling, or
  /// unsettled (chaotic: the final value depends on every rounding, numpy's own too).
  static func describe(_ losses: [Double]) -> String {
    guard let low = losses.min(), let high = losses.max() else { return "" }
    if high - low < 5e-7 { return "settled" }
    let even = stride(from: 0, to: losses.count, by: 2).map { losses[$0] }
    let odd = stride(from: 1, to: losses.count, by: 2).map { losses[$0] }
    func spread(_ values: [Double]) -> Double { (values.max() ?? 0) - (values.min() ?? 0) }
    let tail = Array(losses.suffix(200))
    let evenTail = stride(from: 0, to: tail.count, by: 2).map { tail[$0] }
    let oddTail = stride(from: 1, to: tail.count, by: 2).map { tail[$0] }
    if spread(evenTail) < 5e-7 && spread(oddTail) < 5e-7 && !even.isEmpty && !odd.isEmpty {
      let (a, b) = (evenTail.last!, oddTail.last!)
      return "oscillates between \(fixed(min(a, b))) and \(fixed(max(a, b)))"
    }
    if zip(losses, losses.dropFirst()).allSatisfy({ $1 <= $0 + 1e-12 }) {
      return "still falling: \(fixed(losses.first!)) to \(fixed(losses.last!))"
    }
    return "unsettled: \(fixed(low)) to \(fixed(high))"
  }

  func validate() throws {
    _ = try hiddenSizes()
    try require(passes, in: 1...100_000_000, "--passes")
    if options.network.hidden != nil { throw ValidationError("--hidden is set by --sizes in a sweep") }
    if options.initialModel != nil {
      throw ValidationError(
        "--init fixes the hidden size, and a sweep varies it; use 'descent train --init' to go on from a model")
    }
  }

  func run() throws {
    let setup = options.setup
    let (train, test) = try setup.loadData()
    let score = setup.task == .regression ? "    RMSE" : "accuracy"
    print("hidden      loss  \(score)" + (test == nil ? "" : "  test loss  test \(score)") + "  last 1000 iterations")
    let (sizes, passes) = (try hiddenSizes(), passes)
    // One network per core at a time; each prints as soon as those above it have.
    try trainConcurrently(sizes.count, cost: { sizes[$0] }, print: { print($0) }) { i in
      var setup = setup
      setup.hidden = sizes[i]
      return try Self.row(setup: setup, passes: passes, train: train, test: test)
    }
  }

  /// Trains one network of the sweep and gives its line of the table.
  static func row(setup: RunSetup, passes: Int, train: Dataset, test: Dataset?) throws -> String {
    let trainer = try setup.makeTrainer(train: train, test: test)
    trainer.measuresLoss = true
    trainer.parallel = false  // the sweep has a network on each core already
    var recent: [Double] = []
    for _ in 0..<passes {
      guard trainer.step() else {
        throw Diverged(iteration: trainer.iteration - 1, trainer: trainer)
      }
      if let loss = trainer.lossBeforeLastStep, trainer.iteration > passes - 1000 { recent.append(loss) }
    }
    guard trainer.loss().isFinite else { throw Diverged(iteration: passes - 1, trainer: trainer) }
    /// Accuracy to 3 decimals, or the RMSE to 6, `width` wide.
    func score(_ data: Dataset, _ width: Int) -> String {
      let network = trainer.network
      return network.task == .regression
        ? String(format: "  %\(width).6f", network.rmse(on: data))
        : String(format: "  %\(width).3f", network.accuracy(on: data))
    }
    var line = String(setup.hidden).leftPadded(6) + "  " + fixed(trainer.loss()) + score(train, 8)
    if let test, let testLoss = trainer.testLoss() { line += "   " + fixed(testLoss) + score(test, 13) }
    return line + "  " + describe(recent + [trainer.loss()])
  }
}
