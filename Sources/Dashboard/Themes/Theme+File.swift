import TOMLKit

extension Theme {
  /// The colour keys at the top level, in the order the README documents them.
  static let colorKeys = [
    "text", "dim", "border", "title", "focus", "uncertain", "train_loss", "test_loss", "marker",
  ]
  static let statusKeys = ["running", "paused", "diverged", "done"]
  static let topKeys = Set(["name", "description", "background", "monochrome", "status", "classes"] + colorKeys)
  /// At least this many classes must have a colour.
  public static let minimumClasses = 6

  /// Reads a theme file's text; throws every problem found, each with its line.
  public static func parse(_ text: String, file: String) throws(ThemeProblems) -> Theme {
    let table = try TOMLSubset.table(text, file: file)
    var reader = Reader(text: text, file: file)
    var theme = Theme.placeholder
    theme.name = reader.string(table, "name", section: nil) ?? file
    theme.summary = reader.string(table, "description", section: nil) ?? ""
    theme.monochrome = reader.bool(table, "monochrome") ?? false
    for key in table.keys where !topKeys.contains(key) {
      reader.problem(key, nil, "unknown key '\(key)'; the keys are listed in the README")
    }
    switch reader.string(table, "background", section: nil) {
    case "none"?: theme.background = nil
    case let value?: theme.background = reader.color(value, "background", nil)
    case nil: reader.problem("background", nil, "missing 'background' (\"none\" or \"#rrggbb\")")
    }
    var colors: [String: RGB] = [:]
    for key in colorKeys {
      guard let value = reader.string(table, key, section: nil) else {
        if key != "uncertain" { reader.problem(key, nil, "missing '\(key)' (\"#rrggbb\")") }
        continue
      }
      colors[key] = reader.color(value, key, nil)
    }
    theme.text = colors["text"] ?? theme.text
    theme.dimText = colors["dim"] ?? theme.dimText
    theme.border = colors["border"] ?? theme.border
    theme.title = colors["title"] ?? theme.title
    theme.focus = colors["focus"] ?? theme.focus
    theme.trainLoss = colors["train_loss"] ?? theme.trainLoss
    theme.testLoss = colors["test_loss"] ?? theme.testLoss
    theme.marker = colors["marker"] ?? theme.marker
    theme.uncertain = colors["uncertain"] ?? (theme.background ?? RGB(0, 0, 0)).mixed(with: theme.text, 0.1)

    if let status = reader.table(table, "status") {
      var values: [String: RGB] = [:]
      for key in statusKeys {
        guard let value = reader.string(status, key, section: "status") else {
          reader.problem(key, "status", "missing 'status.\(key)' (\"#rrggbb\")")
          continue
        }
        values[key] = reader.color(value, key, "status")
      }
      for key in status.keys where !statusKeys.contains(key) {
        reader.problem(key, "status", "unknown key 'status.\(key)'; expected running, paused, diverged, done")
      }
      theme.running = values["running"] ?? theme.running
      theme.paused = values["paused"] ?? theme.paused
      theme.diverged = values["diverged"] ?? theme.diverged
      theme.done = values["done"] ?? theme.done
    }

    if let classes = reader.table(table, "classes") {
      let points = reader.colors(classes, "points") ?? []
      if points.count < minimumClasses {
        reader.problem(
          "points", "classes", "classes.points has \(points.count) colours; at least \(minimumClasses) are needed")
      } else {
        theme.classes = points
      }
      if let regions = reader.colors(classes, "regions") {
        if regions.count != points.count {
          reader.problem(
            "regions", "classes",
            "classes.regions has \(regions.count) colours; expected \(points.count), one per point colour")
        } else {
          theme.regions = regions
        }
      } else {
        let base = theme.background ?? RGB(0, 0, 0)
        theme.regions = theme.classes.map { base.mixed(with: $0, 0.45) }
      }
      if let glyphs = reader.strings(classes, "glyphs") {
        let scalars = glyphs.compactMap { $0.unicodeScalars.count == 1 ? $0.unicodeScalars.first : nil }
        if scalars.count != glyphs.count || glyphs.count < minimumClasses {
          reader.problem("glyphs", "classes", "classes.glyphs must be at least \(minimumClasses) single characters")
        } else {
          theme.glyphs = scalars
        }
      }
      for key in classes.keys where !["points", "regions", "glyphs"].contains(key) {
        reader.problem(key, "classes", "unknown key 'classes.\(key)'; expected points, regions, glyphs")
      }
    }
    if !reader.problems.isEmpty {
      // In file order; problems with no line (a missing key) last.
      throw ThemeProblems(
        reader.problems.sorted { ($0.line == 0 ? Int.max : $0.line) < ($1.line == 0 ? Int.max : $1.line) })
    }
    return theme
  }

  /// Filled in from the file; every field is overwritten or reported missing.
  private static let placeholder = Theme(
    name: "", background: nil, text: RGB(208, 208, 208), dimText: RGB(128, 128, 128), border: RGB(95, 107, 122),
    title: RGB(232, 232, 232), focus: RGB(255, 215, 95), classes: [RGB(255, 135, 95), RGB(95, 215, 255)],
    regions: [RGB(135, 47, 31), RGB(31, 79, 135)], uncertain: RGB(38, 38, 38), trainLoss: RGB(95, 215, 255),
    testLoss: RGB(255, 175, 95), marker: RGB(255, 215, 95), running: RGB(135, 255, 135), paused: RGB(255, 215, 95),
    diverged: RGB(255, 95, 95), done: RGB(135, 215, 255), glyphs: ["●", "▲", "■", "◆", "✚", "★"], summary: "",
    monochrome: false)
}

/// Reads typed values from the TOML tables, noting each problem with the line of its key.
private struct Reader {
  let file: String
  var problems: [ThemeProblem] = []
  /// The first line of each key, by section ("" for the top level), and of each section's
  /// header: found in one pass, so a file of thousands of unknown keys is checked in linear time.
  private var keyLines: [String: [String: Int]] = [:]
  private var headerLines: [String: Int] = [:]

  init(text: String, file: String) {
    self.file = file
    var current = ""
    for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("[") {
        current = String(line.dropFirst().prefix { $0 != "]" }).trimmingCharacters(in: .whitespaces)
        if line == "[\(current)]" && headerLines[current] == nil { headerLines[current] = i + 1 }
        continue
      }
      guard let equals = line.firstIndex(of: "=") else { continue }
      let key = line[..<equals].trimmingCharacters(in: .whitespaces)
      if keyLines[current, default: [:]][key] == nil { keyLines[current, default: [:]][key] = i + 1 }
    }
  }

  /// The line on which `key` is set in `section` (nil for the top level), or 0.
  func line(of key: String, in section: String?) -> Int {
    if let line = keyLines[section ?? ""]?[key] { return line }
    return section.flatMap { headerLines[$0] } ?? 0
  }

  mutating func problem(_ key: String, _ section: String?, _ message: String) {
    problems.append(ThemeProblem(file: file, line: line(of: key, in: section), message: message))
  }

  mutating func string(_ table: TOMLTable, _ key: String, section: String?) -> String? {
    guard let value = table[key] else { return nil }
    guard let text = value.string else {
      problem(key, section, "'\(key)' must be a string in quotes")
      return nil
    }
    return text
  }

  mutating func bool(_ table: TOMLTable, _ key: String) -> Bool? {
    guard let value = table[key] else { return nil }
    guard let flag = value.bool else {
      problem(key, nil, "'\(key)' must be true or false")
      return nil
    }
    return flag
  }

  mutating func table(_ table: TOMLTable, _ key: String) -> TOMLTable? {
    guard let value = table[key] else {
      problem(key, nil, "missing the [\(key)] table")
      return nil
    }
    guard let inner = value.table else {
      problem(key, nil, "'\(key)' must be a table, [\(key)]")
      return nil
    }
    return inner
  }

  mutating func color(_ text: String, _ key: String, _ section: String?) -> RGB? {
    guard let color = RGB(hex: text) else {
      let name = section.map { "\($0).\(key)" } ?? key
      problem(key, section, "\(name) = \"\(text)\" is not a colour; write \"#rrggbb\"")
      return nil
    }
    return color
  }

  mutating func strings(_ table: TOMLTable, _ key: String) -> [String]? {
    guard let value = table[key] else { return nil }
    guard let array = value.array, array.allSatisfy({ $0.string != nil }) else {
      problem(key, "classes", "classes.\(key) must be an array of strings")
      return nil
    }
    return array.compactMap(\.string)
  }

  mutating func colors(_ table: TOMLTable, _ key: String) -> [RGB]? {
    guard let texts = strings(table, key) else { return nil }
    var colors: [RGB] = []
    for text in texts {
      guard let color = RGB(hex: text) else {
        problem(key, "classes", "classes.\(key) holds \"\(text)\", which is not a colour; write \"#rrggbb\"")
        return nil
      }
      colors.append(color)
    }
    return colors
  }
}

import Foundation
