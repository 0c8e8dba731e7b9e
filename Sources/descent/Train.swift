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
    let trainer = try options.setup.makeTrainer()
    var history = "iteration,loss" + (trainer.test == nil ? "" : ",test_loss") + "\n"
    let start = DispatchTime.now()
    for i in 0..<passes {
      guard trainer.step() else { throw Diverged(iteration: i, epsilon: trainer.config.epsilon) }
      guard printEvery > 0, i % printEvery == 0 else { continue }
      let loss = trainer.loss()
      guard loss.isFinite else { throw Diverged(iteration: i, epsilon: trainer.config.epsilon) }
      var line = "Loss after iteration \(i): \(fixed(loss))"
      if let testLoss = trainer.testLoss() { line += ", test loss: \(fixed(testLoss))" }
      print(line)
      history += "\(i),\(loss)" + (trainer.testLoss().map { ",\($0)" } ?? "") + "\n"
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    let network = trainer.network
    var summary = "Final loss \(fixed(trainer.loss())), training \(score(network, on: trainer.data))"
    if let test = trainer.test, let testLoss = trainer.testLoss() {
      summary += "; test loss \(fixed(testLoss)), test \(score(network, on: test))"
    }
    summary += "; \(passes) iterations in \(fixed(seconds, 3)) s (\(rate(Double(passes) / seconds)) it/s)"
    print(summary)
    if let save { try network.save(to: save) }
    if let lossCSV { try AtomicFile.write(history, to: lossCSV) }
  }
}

/// How well `network` does on `data`: `accuracy 0.975`, or `RMSE 0.123456` for regression.
func score(_ network: Network, on data: Dataset) -> String {
  network.task == .regression
    ? "RMSE \(fixed(network.rmse(on: data)))" : "accuracy \(fixed(network.accuracy(on: data), 3))"
}

/// `%f`-style fixed notation, as Python's `"%f" % x` prints it.
func fixed(_ value: Double, _ digits: Int = 6) -> String {
  String(format: "%.\(digits)f", value)
}

/// Iterations per second: whole numbers, with one decimal below 100 so a slow run does not read 0.
func rate(_ perSecond: Double) -> String {
  perSecond >= 100 ? String(Int(perSecond)) : String(format: "%.1f", perSecond)
}
