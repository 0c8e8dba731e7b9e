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
      fail(message(for: error), code: code.rawValue)
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
  var description: String {
    "diverged at iteration \(iteration): the loss is no longer a finite number; try a smaller --epsilon (now \(epsilon))"
  }
}
