import ArgumentParser
import Dashboard
import DescentCore
import Foundation

extension ViewMode: ExpressibleByArgument {}

/// Iterations per second, or `max`.
struct Speed: ExpressibleByArgument {
  var value: Double
  init?(argument: String) {
    if argument == "max" {
      value = .infinity
    } else if let number = Double(argument), number.isFinite {
      value = number
    } else {
      return nil
    }
  }
  init(_ value: Double) { self.value = value }
  var defaultValueDescription: String { value.isInfinite ? "max" : String(value) }
}

/// How the dashboard looks and paces itself, shared by `watch` and `tour`.
struct ScreenOptions: ParsableArguments {
  @Option(help: "Redraw the decision boundary every N iterations, 1 to 10000.")
  var redrawEvery = 100

  @Option(help: "Iterations per second, 1 to 100000, or max (as fast as the machine goes).")
  var speed = Speed(1000)

  @Option(
    help: "The most --speed and the speed knob may be, 1 to 100000 iterations per second (descent serve sets it).")
  var maxSpeed: Double?

  @Flag(help: "Start paused (space starts, s steps).")
  var paused = false

  @Option(help: "Stop (state done) after this many iterations of a run, 1 to 100000000; space goes on.")
  var passes = RunSetup.postPasses

  @Option(help: "Colour theme: a name (see 'descent themes') or a path to a .toml file.")
  var theme = "default"

  @Flag(help: "Presentation mode for a projector: plot and loss chart only, values in words (p toggles).")
  var present = false

  @Flag(help: "Draw with ASCII characters only (the default without a UTF-8 locale, as with LANG=C).")
  var ascii = false

  @Option(help: "Hide panels or knobs, comma-separated: plot, loss, knobs, or a knob's name (hidden, epsilon, ...).")
  var hide: String?

  @Option(help: "Quit by itself after this many seconds (for tests and benchmarks).")
  var exitAfter: Double?

  @Option(help: "On exit, write iterations, frames, frame times, speed and peak memory to this JSON file.")
  var statsJSON: String?

  @Option(help: "Record every key and mouse event, with its iteration, to this file (descent replay plays it back).")
  var record: String?

  @Flag(help: .hidden)
  var served = false

  func validate() throws {
    try require(redrawEvery, in: 1...10000, "--redraw-every")
    if speed.value.isFinite { try require(speed.value, in: 1...100_000, "--speed", "from 1 to 100000, or max") }
    try require(passes, in: 1...100_000_000, "--passes")
    if let maxSpeed { try require(maxSpeed, in: 1...100_000, "--max-speed") }
    if let exitAfter { try require(exitAfter, in: 0...86400, "--exit-after") }
    _ = try hidden()
  }

  /// The panels and knobs named by `--hide`.
  func hidden() throws -> (panels: Set<Panel>, knobs: Set<Knob>) {
    var panels: Set<Panel> = []
    var knobs: Set<Knob> = []
    for word in (hide ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !word.isEmpty
    {
      if let panel = Panel(rawValue: word) {
        panels.insert(panel)
      } else if let knob = Knob.named(word) {
        knobs.insert(knob)
      } else {
        let accepted = (Panel.allCases.map(\.rawValue) + Knob.all.map(\.label)).joined(separator: ", ")
        throw ValidationError("--hide: '\(word)' is not a panel or knob; accepted: \(accepted)")
      }
    }
    return (panels, knobs)
  }

  /// The dashboard's options for this setup.
  func dashboard(_ setup: RunSetup, title: String?) throws -> DashboardOptions {
    var settings = Settings(setup: setup)
    settings.redrawEvery = redrawEvery
    settings.maxSpeed = maxSpeed ?? .infinity
    settings.speed = speed.value  // held to maxSpeed by Settings
    settings.passes = passes
    var dashboard = DashboardOptions(settings: settings)
    dashboard.paused = paused
    dashboard.exitAfter = exitAfter
    dashboard.statsJSON = statsJSON
    dashboard.theme = theme
    dashboard.record = record
    dashboard.served = served
    dashboard.ascii = ascii
    let (panels, knobs) = try hidden()
    dashboard.presentation = Presentation(present: present, hiddenPanels: panels, hiddenKnobs: knobs, title: title)
    return dashboard
  }
}

/// Runs the dashboard and exits with its status (a signal's, say) when it is not 0.
func runDashboard(_ options: DashboardOptions, train: Dataset, test: Dataset?) throws {
  let status: Int32
  do {
    status = try DashboardApp.run(options, train: train, test: test)
  } catch let error as TerminalError {
    throw InputError(error.description)
  }
  if status != 0 { Foundation.exit(status) }
}

/// `descent` (`descent watch`): the live dashboard.
struct Watch: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Open the dashboard and watch the network learn (the default).",
    discussion: "With no options it shows the post's setup. Press ? in the dashboard for the keys.")

  @OptionGroup var options: SetupOptions
  @OptionGroup(title: "Dashboard") var screen: ScreenOptions

  @Option(help: "A caption across the top of the screen.")
  var title: String?

  @Flag(help: "Start in the hidden-size sweep view: one network per size, all training at once (g toggles).")
  var sweep = false

  @Option(help: "Hidden sizes of the sweep view, comma-separated, each 1 to 1024 (at most 16).")
  var sizes = RunSetup.postSweepSizes.map(String.init).joined(separator: ",")

  @Flag(help: "On exit, print the descent command line that recreates the final setup.")
  var printCommand = false

  @Option(
    help:
      "Start in a view: boundary, units, sweep, race (one panel per optimizer), classes (accuracy by class, confusion matrix), network (units and weights), hidden (the hidden space), code (the post's loop, line by line; starts paused) or math (the equations)."
  )
  var view: ViewMode?

  func validate() throws {
    if sweep, let view, view != .sweep {
      throw ValidationError("--sweep starts in the sweep view; drop it or --view \(view.rawValue)")
    }
    let sizes = try parseSizes(sizes)
    guard sizes.count <= 16 else {
      throw ValidationError("--sizes: at most 16 sizes fit the sweep view; got \(sizes.count)")
    }
  }

  func run() throws {
    if let path = screen.statsJSON { try AtomicFile.checkWritable(path, option: "--stats-json") }
    let setup = options.setup
    let (train, test) = try setup.loadData()
    if setup.initialModel != nil { _ = try setup.makeTrainer(train: train, test: test) }  // check the model now
    var dashboard = try screen.dashboard(setup, title: title)
    dashboard.sweep = sweep
    dashboard.view = view
    dashboard.sweepSizes = try parseSizes(sizes)
    dashboard.printCommand = printCommand
    if view == .code { dashboard.paused = true }
    try runDashboard(dashboard, train: train, test: test)
  }
}

/// Hidden sizes written as `1,2,3`, checked.
func parseSizes(_ text: String) throws -> [Int] {
  let words = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
  let values = words.compactMap(Int.init)
  guard !words.isEmpty, values.count == words.count, values.allSatisfy({ (1...1024).contains($0) }) else {
    throw ValidationError("--sizes must be hidden sizes from 1 to 1024, separated by commas; got \(text)")
  }
  return values
}
