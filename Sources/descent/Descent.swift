import ArgumentParser
import DescentCore
import Foundation

@main
struct Descent: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "descent",
    abstract: "Train the network of \"Implementing a Neural Network from Scratch in Python\" and watch it learn.",
    subcommands: [
      Watch.self, TourCommand.self, LessonCommand.self, Lessons.self, ReplayCommand.self, Train.self, Baseline.self,
      GradCheck.self, Sweep.self, ExportCommand.self,
      Themes.self, Bench.self,
    ],
    defaultSubcommand: Watch.self
  )

  /// Runs the command, reporting any error as one line on standard error (never a stack trace).
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
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

  static func fail(_ message: String, code: Int32) -> Never {
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
