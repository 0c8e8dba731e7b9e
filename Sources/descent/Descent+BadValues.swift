import ArgumentParser
import Foundation

extension Descent {
  /// The parser's message for `error`, and for a value an option does not take, what it takes:
  /// a choice's values in a list (with the nearest, when one is near), else the option's help.
  static func explained(_ error: Error, arguments: [String]) -> String {
    let text = message(for: error)
    guard let match = text.firstMatch(of: #/The value '(.*)' is invalid for '(-[-a-z0-9]+)[^']*'/#) else {
      return text
    }
    let (value, option) = (String(match.1), String(match.2))
    // The parser lists a choice's values as "- a - b - c", or as "'a', 'b' or 'c'" when few.
    if let list = text.range(of: "Please provide one of ") {
      let rest = text[list.upperBound...]
      let choices =
        rest.hasPrefix("the following:")
        ? rest.dropFirst("the following:".count).split(separator: " - ").map {
          $0.trimmingCharacters(in: .whitespacesAndNewlines.union(["-"]))
        }.filter { !$0.isEmpty }
        : rest.matches(of: #/'([^']*)'/#).map { String($0.output.1) }
      let near = Arguments.suggestion(for: value, among: choices).map { "; did you mean '\($0)'?" } ?? ""
      return "\(option) takes one of \(choices.joined(separator: ", ")), not '\(value)'\(near)"
    }
    let command =
      configuration.subcommands.first { $0._commandName == arguments.first } ?? configuration.defaultSubcommand
    guard let command, let help = help(of: option, in: command) else { return text }
    return "\(option) does not take '\(value)': \(help)"
  }

  /// An option's help line as `descent COMMAND --help` gives it, with its default.
  static func help(of option: String, in command: ParsableCommand.Type) -> String? {
    let lines = helpMessage(for: command, columns: 10_000).split(separator: "\n")
    guard let line = lines.first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(option + " ") }) else {
      return nil
    }
    // "  --epsilon <epsilon>   Learning rate ...": the words after the first run of spaces.
    let words = line.trimmingCharacters(in: .whitespaces)
    guard let gap = words.range(of: "  ") else { return nil }
    let help = words[gap.upperBound...].trimmingCharacters(in: .whitespaces)
    return help.isEmpty ? nil : help
  }
}
