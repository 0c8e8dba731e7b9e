import ArgumentParser
import DescentCore
import Foundation

@main
struct Descent: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "descent",
    abstract: "Train the network of \"Implementing a Neural Network from Scratch in Python\" and watch it learn.",
    version: "descent \(version)",
    subcommands: [
      Watch.self, TourCommand.self, LessonCommand.self, Lessons.self, ReplayCommand.self, Train.self, Baseline.self,
      GradCheck.self, Sweep.self, ExportCommand.self,
      Themes.self, Bench.self,
      Serve.self,
    ],
    defaultSubcommand: Watch.self
  )

  /// Runs the command, reporting any error as one line on standard error (never a stack trace).
  static func main() {
    let arguments = Arguments.joiningNegativeNumbers(Array(CommandLine.arguments.dropFirst()))
    // The default subcommand would take `--version` as one of its own options: answer it here.
    if arguments == ["--version"] || arguments == ["-V"] {
      print("descent \(version)")
      return
    }
    let names = configuration.subcommands.map { $0._commandName } + ["help"]
    if let first = arguments.first, let name = Arguments.suggestion(for: first, among: names) {
      fail("'\(first)' is not a command; did you mean '\(name)'? (descent --help lists them)", code: 64)
    }
    do {
      var command = try parseAsRoot(arguments)
      if !(command is Watch || command is TourCommand) { TemporaryFiles.removeOnSignals() }
      try command.run()
      try Output.finish()
    } catch let error as InputError {
      fail(error.message, code: 1)
    } catch let error as Diverged {
      fail(error.description, code: 2)
    } catch let error as ExitCode {
      Foundation.exit(error.rawValue)  // the command has said what was wrong
    } catch {
      let code = exitCode(for: error)
      if code == .success { exit(withError: error) }  // --help, --version
      fail(explained(error, arguments: arguments), code: code.rawValue)
    }
  }

  /// The version `descent --version` prints.
  static let version = "0.1.0"

  /// Says what went wrong in one line and exits; no temporary file outlives the process.
  static func fail(_ message: String, code: Int32) -> Never {
    TemporaryFiles.removeAll()
    // What was printed before the failure (a diverging run's log up to its last finite loss)
    // still reaches the reader.
    try? Output.finish()
    let line = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
      .joined(separator: " ")
    FileHandle.standardError.write(Data("descent: \(line)\n".utf8))
    Foundation.exit(code)
  }
}

/// Training stopped because a parameter or the loss stopped being a finite number.
struct Diverged: Error, CustomStringConvertible {
  var iteration: Int
  var epsilon: Double
  /// The largest size among the training points' values.
  var largestValue: Double

  init(iteration: Int, trainer: Trainer) {
    self.iteration = iteration
    epsilon = trainer.config.epsilon
    largestValue = trainer.data.X.storage.reduce(0) { max($0, abs($1)) }
  }

  /// Values from this size on are the cause, whatever the step size: the network's sums
  /// overflow or saturate on them (the post's data lies within ±2).
  static let largeData = 1e6

  var description: String {
    let what = "diverged at iteration \(iteration): the loss is no longer a finite number; "
    guard largestValue < Self.largeData else {
      let size = String(format: "%.1e", largestValue).replacingOccurrences(of: "e+", with: "e")
      return what + "the data's values reach \(size): scale them to about -1..1 (a smaller --epsilon does not fix that)"
    }
    return what + "try a smaller --epsilon (now \(epsilon))"
  }
}
