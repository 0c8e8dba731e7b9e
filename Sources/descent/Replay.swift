import ArgumentParser
import Dashboard
import DescentCore
import Foundation

/// `descent replay FILE`: plays a recording back, the same numbers at the same iterations.
struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Play back a recording made with --record (or R): every key at the iteration it came.",
    discussion:
      "Space pauses, s steps, + and - set the pace while it plays; the numbers stay those of the recording. At each event the loss is checked against the recorded one."
  )

  @Argument(help: "The recording (.toml).")
  var file: String

  @Flag(help: "Only check the file and report every problem with its line.")
  var check = false

  @Option(help: "Iterations per second, 1 to 100000, or max (default: the recording's).")
  var speed: Speed?

  @Option(help: "Colour theme: a name (see 'descent themes') or a path to a .toml file.")
  var theme = "default"

  @Option(help: "Quit by itself after this many seconds (for tests and benchmarks).")
  var exitAfter: Double?

  func validate() throws {
    if let speed, speed.value.isFinite {
      try require(speed.value, in: 1...100_000, "--speed", "from 1 to 100000, or max")
    }
    if let exitAfter { try require(exitAfter, in: 0...86400, "--exit-after") }
  }

  func run() throws {
    let (recording, options) = try load()
    if check {
      let last = recording.events.last?.iteration ?? 0
      print("\(file): ok (\(recording.events.count) events over \(last.formatted(.number)) iterations)")
      return
    }
    var dashboard = options
    if let speed { dashboard.settings.speed = speed.value }
    dashboard.theme = theme
    dashboard.exitAfter = exitAfter
    let (train, test) = try dashboard.settings.setup.loadData()
    try runDashboard(dashboard, train: train, test: test)
  }

  /// The recording and the dashboard's options for it, or every problem on standard error.
  func load() throws -> (Recording, DashboardOptions) {
    var problems: [ThemeProblem] = []
    var recording: Recording?
    var options = DashboardOptions(settings: Settings())
    do throws(ThemeProblems) {
      let text = try LessonCatalog.readText(file, what: "recording")
      recording = try Recording.parse(text, file: file)
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      func line(_ key: String) -> Int { (lines.firstIndex { $0.hasPrefix(key) } ?? -1) + 1 }
      if let recording {
        do {
          options = try readOptions(recording.setup)
        } catch {
          let message = (error as? SetupProblem)?.message ?? "\(error)"
          problems.append(ThemeProblem(file: file, line: line("setup"), message: "setup: \(message)"))
        }
        if let name = recording.lesson {
          do throws(ThemeProblems) {
            let lesson = try LessonCatalog.load(name, setup: readSetup)
            if recording.stage >= lesson.stages.count {
              problems.append(
                ThemeProblem(
                  file: file, line: line("stage"),
                  message: "stage \(recording.stage + 1): the lesson \(name) has \(lesson.stages.count) stages"))
            }
            let first = lesson.stages[min(recording.stage, lesson.stages.count - 1)].settings
            options.settings = first
            options.lesson = lesson
            options.lessonName = name
            options.lessonStage = recording.stage
          } catch {
            problems.append(
              ThemeProblem(file: file, line: line("lesson"), message: "lesson \(name): \(error.problems[0].message)"))
          }
        }
      }
    } catch {
      problems += error.problems
    }
    guard let recording, problems.isEmpty else {
      for problem in problems { FileHandle.standardError.write(Data("descent: \(problem)\n".utf8)) }
      throw ExitCode(1)
    }
    options.replay = recording
    return (recording, options)
  }
}
