import DescentCore
import TOMLKit

/// A lesson stage's command-line options that could not be read, in the parser's words.
public struct SetupProblem: Error, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
}

/// Reads a stage's command-line options (`--epsilon 0.03 --batch-size 20`) into the dashboard's
/// options, or throws a `SetupProblem`. The command line's own parser does this, so a lesson
/// accepts exactly the options `descent` does.
public typealias SetupReader = @Sendable ([String]) throws -> DashboardOptions

extension Lesson {
  static let topKeys = ["title", "description", "setup", "stage"]
  static let stageKeys = [
    "title", "caption", "setup", "knob", "question", "answer", "stop", "view", "hide", "baseline", "paused", "chart",
    "card",
  ]
  /// The views a stage can show, by the names a lesson file uses.
  static let views: [(name: String, view: ViewMode)] = ViewMode.allCases.map { ($0.rawValue, $0) }
  /// The caption's lines below the stage's title at 80 columns.
  public static let captionLines = 2
  /// The width the caption is checked at (80 columns less the margins).
  static let captionWidth = 78

  /// Reads a lesson file's text; throws every problem found, each with its line.
  public static func parse(_ text: String, file: String, name: String, setup readSetup: SetupReader)
    throws(ThemeProblems)
    -> Lesson
  {
    let table = try TOMLSubset.table(text, file: file, arraysOfTables: true)
    var reader = LessonReader(text: text, file: file)
    if table["descent"]?.string == Recording.format {
      reader.problem(
        "descent", stage: nil, "this is a recording, not a lesson: descent replay \(file) plays it")
      throw ThemeProblems(reader.problems)
    }
    for key in table.keys where !topKeys.contains(key) {
      reader.problem(key, stage: nil, "unknown key '\(key)'; a lesson has \(topKeys.joined(separator: ", "))")
    }
    let title = reader.string(table, "title", stage: nil)
    if title == nil && table["title"] == nil { reader.problem("title", stage: nil, "missing 'title' (\"...\")") }
    let summary = reader.string(table, "description", stage: nil) ?? ""
    let common = reader.words(table, "setup", stage: nil) ?? []
    var stages: [LessonStage] = []
    if let list = table["stage"] {
      if let array = list.array {
        for (i, item) in array.enumerated() {
          guard let stage = item.table else {
            reader.problem("stage", stage: nil, "each stage is a [[stage]] table")
            continue
          }
          if let read = reader.stage(stage, index: i, common: common, setup: readSetup) { stages.append(read) }
        }
      } else {
        reader.problem("stage", stage: nil, "stages are written as [[stage]] tables")
      }
    }
    if stages.isEmpty && reader.problems.isEmpty {
      reader.problem("stage", stage: nil, "a lesson needs at least one [[stage]]")
    }
    if !reader.problems.isEmpty {
      throw ThemeProblems(
        reader.problems.sorted { ($0.line == 0 ? Int.max : $0.line) < ($1.line == 0 ? Int.max : $1.line) })
    }
    return Lesson(name: name, title: title ?? name, summary: summary, stages: stages)
  }
}

/// Reads a lesson's values, noting each problem with the line of its key (in its `[[stage]]`).
private struct LessonReader {
  let lines: [Substring]
  let file: String
  var problems: [ThemeProblem] = []

  init(text: String, file: String) {
    lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    self.file = file
  }

  /// The line of the `[[stage]]` header of stage `index` (0-based), or 0.
  func header(of index: Int) -> Int {
    var seen = -1
    for (i, raw) in lines.enumerated() where isStageHeader(raw) {
      seen += 1
      if seen == index { return i + 1 }
    }
    return 0
  }

  private func isStageHeader(_ raw: Substring) -> Bool {
    let line = raw.trimmingCharacters(in: .whitespaces)
    return line.hasPrefix("[[")
      && line.dropFirst(2).prefix { $0 != "]" }.trimmingCharacters(in: .whitespaces)
        == "stage"
  }

  /// The line on which `key` is set, at the top (stage nil) or in a stage; else the stage's header.
  func line(of key: String, stage: Int?) -> Int {
    let start = stage.map { header(of: $0) } ?? 0
    for i in start..<lines.count {
      let line = lines[i].trimmingCharacters(in: .whitespaces)
      if stage == nil && line == "[\(key)]" { return i + 1 }
      if line.hasPrefix("[") && i + 1 != start { break }
      if line.hasPrefix(key), line.dropFirst(key.count).trimmingCharacters(in: .whitespaces).hasPrefix("=") {
        return i + 1
      }
    }
    return start
  }

  mutating func problem(_ key: String, stage: Int?, _ message: String) {
    let prefix = stage.map { "stage \($0 + 1): " } ?? ""
    problems.append(ThemeProblem(file: file, line: line(of: key, stage: stage), message: prefix + message))
  }

  mutating func string(_ table: TOMLTable, _ key: String, stage: Int?) -> String? {
    guard let value = table[key] else { return nil }
    guard let text = value.string else {
      problem(key, stage: stage, "'\(key)' must be a string in quotes")
      return nil
    }
    return text
  }

  mutating func bool(_ table: TOMLTable, _ key: String, stage: Int) -> Bool? {
    guard let value = table[key] else { return nil }
    guard let flag = value.bool else {
      problem(key, stage: stage, "'\(key)' must be true or false")
      return nil
    }
    return flag
  }

  /// A command line written as one string, split at spaces.
  mutating func words(_ table: TOMLTable, _ key: String, stage: Int?) -> [String]? {
    string(table, key, stage: stage).map { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
  }

  mutating func stage(_ table: TOMLTable, index: Int, common: [String], setup readSetup: SetupReader) -> LessonStage? {
    let before = problems.count
    for key in table.keys where !Lesson.stageKeys.contains(key) {
      problem(key, stage: index, "unknown key '\(key)'; a stage has \(Lesson.stageKeys.joined(separator: ", "))")
    }
    let title = string(table, "title", stage: index)
    if table["title"] == nil { problem("title", stage: index, "missing 'title' (\"...\")") }
    let caption = string(table, "caption", stage: index) ?? ""
    var options = DashboardOptions(settings: Settings())
    do {
      options = try readSetup(common + (words(table, "setup", stage: index) ?? []))
    } catch let error as SetupProblem {
      problem("setup", stage: index, "setup: \(error.message)")
    } catch {
      problem("setup", stage: index, "setup: \(error)")
    }
    var stage = LessonStage(title: title ?? "", caption: caption, settings: options.settings)
    stage.hiddenPanels = options.presentation.hiddenPanels
    stage.hiddenKnobs = options.presentation.hiddenKnobs
    stage.paused = options.paused
    stage.view = options.sweep ? .sweep : .boundary
    stage.sweepSizes = options.sweepSizes
    if let name = string(table, "knob", stage: index) {
      if let knob = Knob.named(name) {
        stage.focus = knob
      } else {
        problem(
          "knob", stage: index,
          "knob '\(name)' is not a knob; the knobs are \(Knob.all.map(\.label).joined(separator: ", "))")
      }
    }
    if let name = string(table, "view", stage: index) {
      if let view = Lesson.views.first(where: { $0.name == name }) {
        stage.view = view.view
      } else {
        problem(
          "view", stage: index,
          "view '\(name)' is not a view; the views are \(Lesson.views.map(\.name).joined(separator: ", "))")
      }
    }
    if let hide = table["hide"] {
      let names = hide.array?.compactMap { $0.string }
      if let names, names.count == hide.array?.count {
        for name in names {
          if let panel = Panel(rawValue: name) {
            stage.hiddenPanels.insert(panel)
          } else if let knob = Knob.named(name) {
            stage.hiddenKnobs.insert(knob)
          } else {
            let accepted = (Panel.allCases.map(\.rawValue) + Knob.all.map(\.label)).joined(separator: ", ")
            problem("hide", stage: index, "hide: '\(name)' is not a panel or knob; accepted: \(accepted)")
          }
        }
      } else {
        problem("hide", stage: index, "'hide' is a list of panel or knob names, [\"knobs\", \"lambda\"]")
      }
    }
    if let name = string(table, "card", stage: index) {
      if let card = Card.named(name) {
        stage.card = card
        stage.view = .sweep
        for key in ["view", "answer", "chart", "stop"] where table[key] != nil {
          problem(
            key, stage: index,
            "'\(key)' does not go with a card: the card shows its own panels and, once they have run, its answer")
        }
      } else {
        problem(
          "card", stage: index,
          "card '\(name)' is not a readers' question card; the cards are \(Card.all.map(\.name).joined(separator: ", "))"
        )
      }
    }
    stage.baseline = bool(table, "baseline", stage: index) ?? false
    stage.question = string(table, "question", stage: index)
    stage.answer = string(table, "answer", stage: index)
    if stage.answer != nil && stage.question == nil {
      problem("answer", stage: index, "an answer needs a question (the answer is shown after the run)")
    }
    // The code view walks through one step at a time: it starts paused, as `--view code` does.
    stage.paused =
      bool(table, "paused", stage: index) ?? stage.paused || stage.question != nil || stage.view == .code
    if let stop = table["stop"] {
      if let value = stop.int, (1...100_000_000).contains(value) {
        stage.settings.passes = value
      } else {
        problem("stop", stage: index, "'stop' is the iteration the run stops at, 1 to 100000000")
      }
    }
    if let name = string(table, "chart", stage: index) {
      if let chart = LessonStage.ChartStart(rawValue: name) {
        stage.chart = chart
        if chart == .previous && index == 0 {
          problem("chart", stage: index, "chart = \"previous\" needs a stage before this one")
        }
      } else {
        problem("chart", stage: index, "chart '\(name)' is not accepted; write \"stage\" or \"previous\"")
      }
    }
    checkFits(stage, index: index, table: table)
    return problems.count == before ? stage : nil
  }

  /// The words a class reads must fit the screen at 80x24: the stage's number and title on one
  /// line, each caption, question and answer in the lines below it.
  mutating func checkFits(_ stage: LessonStage, index: Int, table: TOMLTable) {
    let heading = LessonCaption.heading(stage: index, of: 99, title: stage.title)
    if heading.count > Lesson.captionWidth {
      problem(
        "title", stage: index,
        "the title is too long for 80 columns: \(heading.count) characters with its number, at most \(Lesson.captionWidth)"
      )
    }
    for key in ["caption", "question", "answer"] {
      guard let text = key == "caption" ? stage.caption : key == "question" ? stage.question : stage.answer else {
        continue
      }
      if let open = text.lastIndex(of: "{"), !text[open...].contains("}") {
        problem(key, stage: index, "a '{' is not closed: a live value is written {loss}")
      }
      for name in LessonCaption.placeholders(in: text) where !LessonCaption.names.contains(name) {
        problem(
          key, stage: index,
          "{\(name)} is not a live value; write one of \(LessonCaption.names.map { "{\($0)}" }.joined(separator: ", "))"
        )
      }
      let lines = HelpOverlay.wrap(LessonCaption.sample(LessonCaption.prefixed(key, text)), width: Lesson.captionWidth)
      if lines.count > Lesson.captionLines {
        problem(
          key, stage: index,
          "the \(key) takes \(lines.count) lines at 80 columns; at most \(Lesson.captionLines) fit (about \(Lesson.captionLines * Lesson.captionWidth - 10) characters)"
        )
      }
    }
  }
}
