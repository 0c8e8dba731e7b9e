/// What a client asked to run, checked: only the dashboard, with options that touch no file on
/// the server (a path, `--data`, `--init`, `--stats-json`) and leave the server's speed cap alone.
enum DashboardRequest {
  /// Options that read or write a server file, or that the server sets itself.
  static let forbiddenOptions: Set<String> = [
    "--data", "--init", "--stats-json", "--max-speed", "--record", "--served",
  ]
  /// Options whose value is free text, so a `/` in it is no path.
  static let textOptions: Set<String> = ["--title"]

  /// The dashboard's arguments for `command` (an SSH exec request's text; empty for a shell
  /// request), or why it is refused, in one line.
  static func arguments(_ command: String) -> Result<[String], Refusal> {
    guard let words = split(command) else {
      return .failure(Refusal("unbalanced quotes in '\(command)'"))
    }
    var arguments = words
    if arguments.first == "descent" { arguments.removeFirst() }  // `ssh HOST descent tour` means `tour`
    var previous: String?
    for word in arguments {
      let name = word.hasPrefix("--") ? String(word.split(separator: "=", maxSplits: 1)[0]) : nil
      if let name, forbiddenOptions.contains(name) {
        return .failure(
          Refusal("\(name) is not available over SSH (it names a file on the server, or the server sets it)"))
      }
      let isText = previous.map(textOptions.contains) ?? false || name.map(textOptions.contains) ?? false
      if word.contains("/") && !isText {
        return .failure(Refusal("'\(word)': files on the server are not available over SSH (built-in names only)"))
      }
      if previous == "--theme" && word.hasSuffix(".toml") || name == "--theme" && word.hasSuffix(".toml") {
        return .failure(Refusal("--theme takes a built-in theme's name over SSH, not a file"))
      }
      previous = name
    }
    return .success(arguments)
  }

  /// Splits a command line into words as a POSIX shell would for plain words and quotes, with
  /// no expansion of any kind; nil if a quote is left open.
  static func split(_ line: String) -> [String]? {
    var words: [String] = []
    var word = ""
    var inWord = false
    var quote: Character?
    var escaped = false
    for character in line {
      if escaped {
        word.append(character)
        escaped = false
      } else if let open = quote {
        if character == open {
          quote = nil
        } else if character == "\\" && open == "\"" {
          escaped = true
        } else {
          word.append(character)
        }
      } else if character == "'" || character == "\"" {
        quote = character
        inWord = true
      } else if character == "\\" {
        escaped = true
        inWord = true
      } else if character.isWhitespace {
        if inWord { words.append(word) }
        word = ""
        inWord = false
      } else {
        word.append(character)
        inWord = true
      }
    }
    if quote != nil || escaped { return nil }
    if inWord { words.append(word) }
    return words
  }
}

/// Why a client's request is refused: one line for the client and the log.
struct Refusal: Error, Equatable {
  var message: String
  init(_ message: String) { self.message = message }
}
