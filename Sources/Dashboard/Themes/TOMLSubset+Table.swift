import TOMLKit

extension TOMLSubset {
  /// A file's text as a TOML table, checked first against the subset (so TOMLKit never sees
  /// what could stop the program); a problem says the file and line. `arraysOfTables` allows
  /// `[[name]]` (a lesson's stages).
  static func table(_ text: String, file: String, arraysOfTables: Bool = false) throws(ThemeProblems) -> TOMLTable {
    if let problem = validate(text, arraysOfTables: arraysOfTables) {
      throw ThemeProblems([ThemeProblem(file: file, line: problem.line, message: "not valid TOML: \(problem.message)")])
    }
    do {
      return try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      throw ThemeProblems([
        ThemeProblem(file: file, line: error.source.begin.line, message: "not valid TOML: \(error.description)")
      ])
    } catch {
      throw ThemeProblems([ThemeProblem(file: file, line: 0, message: "not valid TOML")])
    }
  }
}
