import ArgumentParser
import Dashboard
import DescentCore
import Foundation

/// Reads a lesson stage's (or a recording's) setup with the command line's own parser: the words
/// are `descent watch` options, checked exactly as on the command line.
let readSetup: SetupReader = { words in
  for word in words where Watch.notInStages.contains(word.split(separator: "=").first.map(String.init) ?? word) {
    throw SetupProblem("\(word) belongs on the command line, not in a lesson's setup")
  }
  return try readOptions(words)
}

/// A setup reader that reads nothing: for listing shipped lessons, whose setups are checked
/// before they ship.
let unchecked: SetupReader = { _ in DashboardOptions(settings: Settings()) }

/// Reads `descent watch` options into the dashboard's, or throws a `SetupProblem` in the
/// parser's words.
func readOptions(_ words: [String]) throws -> DashboardOptions {
  let watch: Watch
  do {
    watch = try Watch.parse(Arguments.joiningNegativeNumbers(words))
  } catch {
    let message = Descent.explained(error, arguments: words).split(separator: "\n").first.map(String.init) ?? "\(error)"
    throw SetupProblem(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message)
  }
  let setup = watch.options.setup
  if case .file = setup.source {
    do { _ = try setup.loadData() } catch { throw SetupProblem("\(error)") }
  }
  var dashboard = try watch.screen.dashboard(setup, title: nil)
  dashboard.sweep = watch.sweep
  dashboard.sweepSizes = try parseSizes(watch.sizes)
  return dashboard
}

extension Watch {
  /// Options that shape the session, not a stage.
  static let notInStages: Set<String> = [
    "--exit-after", "--stats-json", "--print-command", "--theme", "--title", "--present", "--init", "--record",
  ]
}

/// Loads a lesson by name or path, or fails with every problem on standard error.
func loadLesson(_ nameOrPath: String) throws -> Lesson {
  do throws(ThemeProblems) {
    return try LessonCatalog.load(nameOrPath, setup: readSetup)
  } catch {
    for problem in error.problems { FileHandle.standardError.write(Data("descent: \(problem)\n".utf8)) }
    throw ExitCode(1)
  }
}

/// Gives a lesson in the dashboard, from its first stage.
func runLesson(_ lesson: Lesson, named name: String, screen: ScreenOptions) throws {
  let first = lesson.stages[0].settings
  let (train, test) = try first.setup.loadData()
  var dashboard = try screen.dashboard(first.setup, title: nil)
  dashboard.settings.passes = first.passes
  dashboard.lesson = lesson
  dashboard.lessonName = name
  try runDashboard(dashboard, train: train, test: test)
}

/// `descent lesson NAME|FILE`: a lesson, stage by stage, in the dashboard.
struct LessonCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lesson",
    abstract: "Give a lesson: a shipped one by name (see 'descent lessons'), yours, or a .toml file.",
    discussion:
      "→ and ← (or page down and up, what a presentation clicker sends) move between stages; every other key works as in the dashboard."
  )

  @Argument(help: "The lesson: a name (post, questions, playground, or yours) or a path to a .toml file.")
  var lesson: String

  @OptionGroup(title: "Dashboard") var screen: ScreenOptions

  func run() throws {
    try runLesson(try loadLesson(lesson), named: lesson, screen: screen)
  }
}

/// `descent tour`: the post as a lesson (the shipped lesson `post`).
struct TourCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tour",
    abstract:
      "Walk through the post in stages, live: the data, logistic regression, the network, hidden sizes, the exercises.",
    discussion: "The shipped lesson 'post' (descent lesson post). → and ← move between stages; < > adjust the knob.")

  @OptionGroup(title: "Dashboard") var screen: ScreenOptions

  func run() throws {
    try runLesson(try loadLesson("post"), named: "post", screen: screen)
  }
}

/// `descent lessons`: the lessons there are, or a check of a lesson file.
struct Lessons: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the lessons (shipped and your own), or check lesson files.",
    subcommands: [List.self, Check.self],
    defaultSubcommand: List.self)

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the lessons with their titles.")

    func run() throws {
      print("Lessons (descent lesson NAME); yours go in \(LessonCatalog.userFolder())/")
      for name in LessonCatalog.names() {
        let padded = name.padding(toLength: 11, withPad: " ", startingAt: 0)
        do throws(ThemeProblems) {
          // A shipped lesson's stages are checked before it ships (the test suite runs `lessons
          // check` on them); reading each stage's setup again here costs a debug build, as
          // `swift run` makes, 0.15 s a stage (the argument parser checks its own definition
          // on every parse), and the list has 32.
          let reader = LessonCatalog.isShipped(name) ? unchecked : readSetup
          let lesson = try LessonCatalog.load(name, setup: reader)
          print("  \(padded) \(lesson.title) (\(lesson.stages.count) stages)")
        } catch {
          print("  \(padded) broken: \(error.problems[0]) (descent lessons check)")
        }
      }
    }
  }

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check lesson files and report every problem with its line.")

    @Argument(help: "The lesson files (.toml).")
    var files: [String]

    func run() throws {
      var failed = false
      for file in files {
        do throws(ThemeProblems) {
          let lesson = try LessonCatalog.loadFile(file, setup: readSetup)
          print("\(file): ok (\(lesson.title), \(lesson.stages.count) stages)")
        } catch {
          for problem in error.problems { FileHandle.standardError.write(Data("descent: \(problem)\n".utf8)) }
          failed = true
        }
      }
      if failed { throw ExitCode(1) }
    }
  }
}
