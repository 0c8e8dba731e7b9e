import TOMLKit

/// A problem in a theme file, with the line it is on (0 when the whole file is at fault).
public struct ThemeProblem: Error, Equatable, Sendable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var message: String

  public init(file: String, line: Int, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

/// Every problem found in one theme file.
public struct ThemeProblems: Error, Equatable, Sendable, CustomStringConvertible {
  public var problems: [ThemeProblem]
  init(_ problems: [ThemeProblem]) { self.problems = problems }
  public var description: String { problems.map(\.description).joined(separator: "\n") }
}
