import ArgumentParser
import DescentCore
import Foundation

/// `descent train`: the post's training loop, headless, printing its log.
struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train without the dashboard and print the post's log.",
    discussion: "With no options this is the post: moons(200, noise 0.2), 3 tanh units, epsilon = lambda = 0.01.")

  @OptionGroup var options: SetupOptions

  @Option(help: "Gradient descent iterations, 1 to 100000000.")
  var passes = RunSetup.postPasses

  @Option(help: "Print the loss every K iterations, as the post does every 1000; 0 prints none.")
  var printEvery = 1000

  @Option(help: "Write the trained model to this file (descent-model/2 JSON).")
  var save: String?

  @Option(help: "Write the loss at every printed iteration to this CSV file.")
  var lossCSV: String?

  func validate() throws {
    try require(passes, in: 1...100_000_000, "--passes")
    try require(printEvery, in: 0...100_000_000, "--print-every")
  }

  func run() throws {
    // The outputs first: a path that cannot be written fails now, not after the training.
    try checkDistinct(["--save": save, "--loss-csv": lossCSV])
    let model = try save.map { try AtomicFile.Writer($0, option: "--save") }
    let losses = try lossCSV.map { try AtomicFile.Writer($0, option: "--loss-csv") }
    let trainer = try options.setup.makeTrainer()
    // The loss CSV goes to its temporary file as the run goes, so memory stays flat.
    try losses?.append("iteration,loss" + (trainer.test == nil ? "" : ",test_loss") + "\n")
    // Read once: each read of an option goes through the parser's generic property wrapper.
    let (passes, printEvery) = (self.passes, self.printEvery)
    let start = DispatchTime.now()
    for i in 0..<passes {
      guard trainer.step() else { throw Diverged(iteration: i, trainer: trainer) }
      guard printEvery > 0, i % printEvery == 0 else { continue }
      let loss = trainer.loss()
      guard loss.isFinite else { throw Diverged(iteration: i, trainer: trainer) }
      let testLoss = trainer.testLoss()
      try Output.line(
        "Loss after iteration \(i): \(fixed(loss))" + (testLoss.map { ", test loss: \(fixed($0))" } ?? ""))
      try losses?.append("\(i),\(loss)" + (testLoss.map { ",\($0)" } ?? "") + "\n")
      // Nobody reads the log any more and nothing is to be saved: the run has no one to report to.
      if Output.readerGone && model == nil && losses == nil { return }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    let network = trainer.network
    let finalLoss = trainer.loss()
    guard finalLoss.isFinite else { throw Diverged(iteration: passes - 1, trainer: trainer) }
    var summary = "Final loss \(fixed(finalLoss)), training \(score(network, on: trainer.data))"
    if let test = trainer.test, let testLoss = trainer.testLoss() {
      summary += "; test loss \(fixed(testLoss)), test \(score(network, on: test))"
    }
    summary += "; \(passes) iterations in \(fixed(seconds, 3)) s (\(rate(Double(passes) / seconds)) it/s)"
    try Output.line(summary)
    if network.task == .classification {
      for line in perClassLines(network.confusion(on: trainer.data)) { try Output.line(line) }
    }
    try Output.finish()
    try model?.append(network.modelJSON())
    try model?.commit()
    try losses?.commit()
  }
}

/// Refuses two options that name the same output file (one would overwrite the other).
func checkDistinct(_ outputs: KeyValuePairs<String, String?>) throws {
  var seen: [String: String] = [:]
  for case let (option, path?) in outputs {
    let key = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    if let other = seen[key] {
      throw InputError("\(other) and \(option) name the same file, \(path); give each its own")
    }
    seen[key] = option
  }
}

/// How well `network` does on `data`: `accuracy 0.975`, or `RMSE 0.123456` for regression.
func score(_ network: Network, on data: Dataset) -> String {
  network.task == .regression
    ? "RMSE \(fixed(network.rmse(on: data)))" : "accuracy \(fixed(network.accuracy(on: data), 3))"
}

/// Each class's accuracy on the training points, then the confusion matrix (a row per class, a
/// column per predicted class), as `scripts/post_numpy.py --summary` prints them.
func perClassLines(_ confusion: ConfusionMatrix) -> [String] {
  let shares = (0..<confusion.classes).compactMap { k in
    confusion.accuracy(of: k).map { "class \(k) \(fixed($0, 3)) (\(confusion.counts[k][k])/\(confusion.total(k)))" }
  }
  // Six columns a count, one more for each digit past five (500,000 points a class).
  let width = max(6, 1 + String(confusion.counts.joined().max() ?? 0).count)
  func cells(_ values: [Int]) -> String { values.map { String(format: "%\(width)d", $0) }.joined() }
  return [
    "Per-class accuracy: " + shares.joined(separator: ", "),
    "Confusion matrix (a row per class, a column per predicted class):",
    "   " + cells(Array(0..<confusion.classes)),
  ] + (0..<confusion.classes).map { String(format: "%3d", $0) + cells(confusion.counts[$0]) }
}

/// `%f`-style fixed notation, as Python's `"%f" % x` prints it.
func fixed(_ value: Double, _ digits: Int = 6) -> String {
  String(format: "%.\(digits)f", value)
}

/// Iterations per second: whole numbers, with one decimal below 100 so a slow run does not read 0.
func rate(_ perSecond: Double) -> String {
  perSecond >= 100 ? String(Int(perSecond)) : String(format: "%.1f", perSecond)
}
