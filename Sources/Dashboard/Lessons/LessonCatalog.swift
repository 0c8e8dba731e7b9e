import Foundation

/// Where lessons come from: the shipped ones (built into the binary from `lessons/`), and the
/// user's in `$XDG_CONFIG_HOME/descent/lessons/` (default `~/.config/descent/lessons/`).
public enum LessonCatalog {
  /// The user's lesson folder.
  public static func userFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    ThemeCatalog.userFolder(environment: environment).dropLast("themes".count) + "lessons"
  }

  /// Every lesson name: the shipped ones in their order, then the user's (a user lesson with a
  /// shipped name replaces it).
  public static func names(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
    let folder = userFolder(environment: environment)
    let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".toml") }
    let user = files.sorted().map { ($0 as NSString).deletingPathExtension }
    return builtinLessonFiles.map(\.name) + user.filter { name in !builtinLessonFiles.contains { $0.name == name } }
  }

  /// Whether `name` is one of the shipped lessons and no lesson of the user's replaces it.
  public static func isShipped(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment)
    -> Bool
  {
    builtinLessonFiles.contains { $0.name == name }
      && !FileManager.default.fileExists(atPath: userFolder(environment: environment) + "/\(name).toml")
  }

  /// Loads a lesson by name (user folder first, then shipped) or by path (anything with a `/` or
  /// ending in `.toml`). Throws one or more problems, each naming the file and line.
  public static func load(
    _ nameOrPath: String, setup: SetupReader, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(ThemeProblems) -> Lesson {
    if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") { return try loadFile(nameOrPath, setup: setup) }
    let userPath = userFolder(environment: environment) + "/\(nameOrPath).toml"
    if FileManager.default.fileExists(atPath: userPath) { return try loadFile(userPath, setup: setup) }
    guard let file = builtinLessonFiles.first(where: { $0.name == nameOrPath }) else {
      let known = names(environment: environment).joined(separator: ", ")
      throw ThemeProblems([
        ThemeProblem(
          file: nameOrPath, line: 0, message: "no such lesson; the lessons are \(known), or a path to a .toml file")
      ])
    }
    return try Lesson.parse(file.text, file: "lessons/\(nameOrPath).toml", name: nameOrPath, setup: setup)
  }

  /// Loads a lesson file by path.
  public static func loadFile(_ path: String, setup: SetupReader) throws(ThemeProblems) -> Lesson {
    let text = try readText(path, what: "lesson")
    let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    return try Lesson.parse(text, file: path, name: name, setup: setup)
  }

  /// A small text file's contents, or the problem: missing, a folder, not UTF-8 text, too big.
  public static func readText(_ path: String, what: String) throws(ThemeProblems) -> String {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
      throw ThemeProblems([ThemeProblem(file: path, line: 0, message: "no such \(what) file")])
    }
    guard !isFolder.boolValue else {
      throw ThemeProblems([ThemeProblem(file: path, line: 0, message: "a folder, not a \(what) file")])
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ThemeProblems([ThemeProblem(file: path, line: 0, message: "cannot be read")])
    }
    guard data.count <= 4_000_000 else {
      throw ThemeProblems([ThemeProblem(file: path, line: 0, message: "too big for a \(what) file (over 4 MB)")])
    }
    guard !data.contains(0), let text = String(data: data, encoding: .utf8) else {
      throw ThemeProblems([ThemeProblem(file: path, line: 0, message: "not a UTF-8 text file")])
    }
    return text
  }
}
