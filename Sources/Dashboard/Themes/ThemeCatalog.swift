import Foundation

/// Where themes come from: the shipped ones (built into the binary from `themes/`), and the
/// user's in `$XDG_CONFIG_HOME/descent/themes/` (default `~/.config/descent/themes/`).
public enum ThemeCatalog {
  /// A shipped theme by name.
  public static func builtin(_ name: String) -> Theme? {
    guard let file = builtinThemeFiles.first(where: { $0.name == name }) else { return nil }
    return try? Theme.parse(file.text, file: "themes/\(name).toml")
  }

  /// The user's theme folder.
  public static func userFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/descent/themes" }
    return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/descent/themes"
  }

  /// Every theme name: the shipped ones in their order, then the user's (a user theme with a
  /// shipped name replaces it).
  public static func names(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
    let user = userThemeFiles(environment).map { ($0 as NSString).deletingPathExtension }
    return builtinThemeFiles.map(\.name) + user.filter { name in !builtinThemeFiles.contains { $0.name == name } }
  }

  private static func userThemeFiles(_ environment: [String: String]) -> [String] {
    let folder = userFolder(environment: environment)
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return files.filter { $0.hasSuffix(".toml") }.sorted()
  }

  /// Loads a theme by name (user folder first, then shipped) or by path (anything with a `/` or
  /// ending in `.toml`). Throws one or more problems, each naming the file and line.
  public static func load(_ nameOrPath: String, environment: [String: String] = ProcessInfo.processInfo.environment)
    throws(ThemeProblems) -> Theme
  {
    if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") { return try loadFile(nameOrPath) }
    let userPath = userFolder(environment: environment) + "/\(nameOrPath).toml"
    if FileManager.default.fileExists(atPath: userPath) { return try loadFile(userPath) }
    guard let file = builtinThemeFiles.first(where: { $0.name == nameOrPath }) else {
      let known = names(environment: environment).joined(separator: ", ")
      throw ThemeProblems([
        ThemeProblem(
          file: nameOrPath, line: 0, message: "no such theme; the themes are \(known), or a path to a .toml file")
      ])
    }
    return try Theme.parse(file.text, file: "themes/\(nameOrPath).toml")
  }

  /// Loads a theme file by path.
  public static func loadFile(_ path: String) throws(ThemeProblems) -> Theme {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
      throw ThemeProblems([ThemeProblem(file: path, line: 0, message: "no such theme file")])
    }
    guard let data = FileManager.default.contents(atPath: path), !data.contains(0),
      let text = String(data: data, encoding: .utf8)
    else {
      throw ThemeProblems([ThemeProblem(file: path, line: 0, message: "not a UTF-8 text file")])
    }
    return try Theme.parse(text, file: path)
  }
}
