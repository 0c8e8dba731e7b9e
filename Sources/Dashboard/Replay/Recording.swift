import DescentCore
import TOMLKit

/// A recorded session: the setup it started from and every key and mouse event, each with the
/// iteration of the main run it was applied at. `descent replay` plays it back exactly: the
/// trainer stops at each event's iteration, the event is applied there, and the same seeds as
/// in the recording stand in for the random ones `n` and `d` pick.
public struct Recording: Sendable, Equatable {
  /// The `descent` options of the start (without `descent`).
  public var setup: [String]
  /// The lesson it was recorded in, by name or path, and the stage it started at.
  public var lesson: String?
  public var stage = 0
  /// The terminal's size: a click lands on the same knob or point only at this size.
  public var width: Int
  public var height: Int
  public var events: [RecordedEvent] = []

  public init(setup: [String], lesson: String? = nil, stage: Int = 0, width: Int, height: Int) {
    self.setup = setup
    self.lesson = lesson
    self.stage = stage
    self.width = width
    self.height = height
  }
}

/// One event of a recording.
public struct RecordedEvent: Sendable, Equatable {
  /// The main run's iteration (counted over the session, across restarts) it was applied at.
  public var iteration: Int
  public var key: Key
  /// The seed `d` picked for new data, or `n` for new weights.
  public var seed: UInt32?
  /// The training loss on screen when the event was applied (a replay checks it).
  public var loss: Double?
  /// In the sweep view (or a card's), where each panel was when the event was applied: its
  /// iteration (over its session) and loss. A replay applies the event there too.
  public var panels: [PanelMark] = []

  public init(iteration: Int, key: Key, seed: UInt32? = nil, loss: Double? = nil, panels: [PanelMark] = []) {
    self.iteration = iteration
    self.key = key
    self.seed = seed
    self.loss = loss
    self.panels = panels
  }

  /// A sweep panel's iteration and loss at an event.
  public struct PanelMark: Sendable, Equatable {
    public var iteration: Int
    public var loss: Double?

    public init(iteration: Int, loss: Double?) {
      self.iteration = iteration
      self.loss = loss
    }

    /// `1500:0.0712`, or `1500` without a loss.
    var text: String { "\(iteration)" + (loss.map { ":\($0)" } ?? "") }

    init?(_ text: Substring) {
      let parts = text.split(separator: ":", omittingEmptySubsequences: false)
      guard (1...2).contains(parts.count), let iteration = Int(parts[0]), iteration >= 0 else { return nil }
      self.iteration = iteration
      if parts.count == 2 {
        guard let loss = Double(parts[1]), loss.isFinite else { return nil }
        self.loss = loss
      }
    }
  }

  /// As the file writes it: `1234 space loss=0.0712`, `2000 click 40 12`, `2100 n seed=77`,
  /// `2100 > loss=0.07 panels=900:0.31,880:0.2`.
  var text: String {
    "\(iteration) \(key.recorded ?? "?")" + (seed.map { " seed=\($0)" } ?? "") + (loss.map { " loss=\($0)" } ?? "")
      + (panels.isEmpty ? "" : " panels=" + panels.map(\.text).joined(separator: ","))
  }

  /// Reads `text`, or returns what is wrong with it.
  static func parse(_ text: String) -> Result<RecordedEvent, SetupProblem> {
    var words = text.split(separator: " ", omittingEmptySubsequences: true)
    guard let first = words.first, let iteration = Int(first), iteration >= 0 else {
      return .failure(SetupProblem("event \"\(text)\" must start with the iteration, a whole number 0 or more"))
    }
    words.removeFirst()
    var seed: UInt32?
    var loss: Double?
    var panels: [PanelMark] = []
    while let last = words.last, last.contains("=") {
      if last.hasPrefix("seed=") {
        guard let value = UInt32(last.dropFirst(5)) else {
          return .failure(SetupProblem("event \"\(text)\": seed= takes a whole number from 0 to 4294967295"))
        }
        seed = value
      } else if last.hasPrefix("panels=") {
        let marks = last.dropFirst(7).split(separator: ",").map { PanelMark($0) }
        guard !marks.isEmpty, marks.count <= 64, !marks.contains(where: { $0 == nil }) else {
          return .failure(
            SetupProblem(
              "event \"\(text)\": panels= takes each sweep panel's iteration and loss, 900:0.31,880:0.2"))
        }
        panels = marks.map { $0! }
      } else if last.hasPrefix("loss=") {
        guard let value = Double(last.dropFirst(5)), value.isFinite else {
          return .failure(SetupProblem("event \"\(text)\": loss= takes a number"))
        }
        loss = value
      } else {
        return .failure(SetupProblem("event \"\(text)\": \(last) is not seed=N, loss=X or panels=..."))
      }
      words.removeLast()
    }
    guard let key = Key(recorded: words) else {
      return .failure(
        SetupProblem(
          "event \"\(text)\": \"\(words.joined(separator: " "))\" is not a key (one character, or space, up, down, left, right, shift-left, shift-right, tab, backtab, escape, enter, pageup, pagedown) nor click X Y, drag X Y, rightclick X Y"
        ))
    }
    return .success(RecordedEvent(iteration: iteration, key: key, seed: seed, loss: loss, panels: panels))
  }
}

extension Recording {
  static let keys = ["descent", "setup", "lesson", "stage", "size", "events"]
  static let format = "recording 1"

  /// The file's text.
  public var text: String {
    func quoted(_ s: String) -> String {
      "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
    var lines = [
      "# A descent recording: `descent replay FILE` plays it back, the same numbers at the same iterations.",
      "# Each event is \"ITERATION KEY\" (or click/drag/rightclick X Y) at the main run's iteration (over the",
      "# session); seed= is what n or d picked, loss= the loss on screen then (a replay checks it).",
      "descent = \(quoted(Self.format))",
      "setup = \(quoted(setup.joined(separator: " ")))",
    ]
    if let lesson { lines += ["lesson = \(quoted(lesson))", "stage = \(stage + 1)"] }
    lines.append("size = \"\(width)x\(height)\"")
    lines.append("events = [")
    lines += events.map { "  \(quoted($0.text))," }
    lines.append("]")
    return lines.joined(separator: "\n") + "\n"
  }

  /// Reads a recording's text; throws every problem found, each with its line.
  public static func parse(_ text: String, file: String) throws(ThemeProblems) -> Recording {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if let stage = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("[[stage]]") }) {
      throw ThemeProblems([
        ThemeProblem(
          file: file, line: stage + 1,
          message:
            "this is a lesson, not a recording: descent lesson \(file) gives it (recordings come from --record or R)"
        )
      ])
    }
    let table = try TOMLSubset.table(text, file: file)
    var problems: [ThemeProblem] = []
    func line(containing needle: String) -> Int { (lines.firstIndex { $0.contains(needle) } ?? -1) + 1 }
    func problem(_ key: String, _ message: String) {
      problems.append(ThemeProblem(file: file, line: line(containing: key), message: message))
    }
    for key in table.keys where !keys.contains(key) {
      problem(key, "unknown key '\(key)'; a recording has \(keys.joined(separator: ", "))")
    }
    if table["descent"]?.string != format {
      problem("descent", "not a descent recording: the first key is descent = \"\(format)\"")
    }
    let setup = table["setup"]?.string
    if setup == nil { problem("setup", "'setup' must be the starting options in quotes, \"--hidden 3 ...\"") }
    var size = (80, 24)
    if let text = table["size"]?.string, case let parts = text.split(separator: "x"), parts.count == 2,
      let w = Int(parts[0]), let h = Int(parts[1]), (1...10_000).contains(w), (1...10_000).contains(h)
    {
      size = (w, h)
    } else {
      problem("size", "'size' must be the terminal's size, \"80x24\"")
    }
    var recording = Recording(
      setup: (setup ?? "").split(whereSeparator: \.isWhitespace).map(String.init),
      lesson: table["lesson"]?.string, width: size.0, height: size.1)
    if table["lesson"] != nil && recording.lesson == nil {
      problem("lesson", "'lesson' must be a name or path in quotes")
    }
    if let stage = table["stage"] {
      if let value = stage.int, value >= 1 {
        recording.stage = value - 1
      } else {
        problem("stage", "'stage' is 1 or more")
      }
    }
    if let events = table["events"]?.array {
      var last = 0
      var searchFrom = max(0, line(containing: "events") - 1)
      for item in events {
        guard let text = item.string else {
          problem("events", "each event is a string in quotes, \"1234 space\"")
          continue
        }
        let at = lines[searchFrom...].firstIndex { $0.contains("\"\(text)\"") }
        if let at { searchFrom = at }
        switch RecordedEvent.parse(text) {
        case .success(let event):
          if event.iteration < last {
            problems.append(
              ThemeProblem(
                file: file, line: (at ?? -1) + 1,
                message: "event \"\(text)\" is at iteration \(event.iteration), before the one above it (\(last))"))
          }
          last = max(last, event.iteration)
          recording.events.append(event)
        case .failure(let error):
          problems.append(ThemeProblem(file: file, line: (at ?? -1) + 1, message: error.message))
        }
      }
    } else {
      problem("events", "'events' must be a list of events, [\"1234 space\", ...]")
    }
    if !problems.isEmpty {
      throw ThemeProblems(problems.sorted { ($0.line == 0 ? Int.max : $0.line) < ($1.line == 0 ? Int.max : $1.line) })
    }
    return recording
  }
}
