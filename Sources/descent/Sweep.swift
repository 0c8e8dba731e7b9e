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
  var sizes = "1,2,3,4,5,20,50"

  @Option(help: "Gradient descent iterations for each size, 1 to 100000000.")
  var passes = 20000

  /// The sizes as numbers, checked.
  func hiddenSizes() throws -> [Int] { try parseSizes(sizes) }

  func validate() throws {
    _ = try hiddenSizes()
    try require(passes, in: 1...100_000_000, "--passes")
    if options.network.hidden != nil { throw ValidationError("--hidden is set by --sizes in a sweep") }
  }

  func run() throws {
    var setup = options.setup
    let (train, test) = try setup.loadData()
    print("hidden      loss  accuracy" + (test == nil ? "" : "  test loss  test accuracy"))
    for hidden in try hiddenSizes() {
      setup.hidden = hidden
      let trainer = try setup.makeTrainer(train: train, test: test)
      guard trainer.train(passes) else {
        throw Diverged(iteration: trainer.iteration - 1, epsilon: setup.training.epsilon)
      }
      var line =
        String(hidden).leftPadded(6) + "  " + fixed(trainer.loss())
        + String(format: "  %8.3f", trainer.network.accuracy(on: train))
      if let test, let testLoss = trainer.testLoss() {
        line += "   " + fixed(testLoss) + String(format: "  %13.3f", trainer.network.accuracy(on: test))
      }
      print(line)
    }
  }
}
