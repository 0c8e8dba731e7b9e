import DescentCore
import Testing

@testable import Dashboard
@testable import descent

/// The command line the dashboard prints (`--print-command`, the help overlay, `command.txt`),
/// parsed back by the real command-line parser, gives the same setup.
@Suite("The printed command line, parsed back", .ownThreads)
struct CommandLineRoundTripTests {
  /// Settings as a user could reach them: every knob at a random stop, and the options that are
  /// not knobs at random values.
  static func randomSettings(_ rng: inout some RandomNumberGenerator) -> Settings {
    var settings = Settings()
    for knob in Knob.all.shuffled(using: &rng) {
      settings = knob.stepped(settings, by: Int.random(in: -30...30, using: &rng))
    }
    if Bool.random(using: &rng) { settings.setup.seed = UInt32.random(in: 0...UInt32.max, using: &rng) }
    if Bool.random(using: &rng) { settings.setup.weightSeed = UInt32.random(in: 0...UInt32.max, using: &rng) }
    if Bool.random(using: &rng) { settings.setup.testFraction = [0.1, 0.2, 0.25, 0.5].randomElement(using: &rng)! }
    if Bool.random(using: &rng) { settings.setup.training.gradient = .mean }
    if Bool.random(using: &rng) {
      settings.setup.training.epsilon = Double.random(in: 1e-5...10, using: &rng)
    }
    return settings
  }

  @Test func everyPrintedCommandLineParsesToTheSameSetup() throws {
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<50 {  // the argument parser takes about 0.1 s a line
      let settings = Self.randomSettings(&rng)
      let line = settings.commandLine
      let words = line.split(separator: " ").map(String.init)
      #expect(words.first == "descent")
      let watch = try Watch.parse(Array(words.dropFirst()))
      let parsed = try watch.screen.dashboard(watch.options.setup, title: nil).settings
      #expect(parsed.setup == settings.setup, "\(line)")
      #expect(parsed.redrawEvery == settings.redrawEvery && parsed.speed == settings.speed, "\(line)")
    }
  }

  /// The words of a line as a POSIX shell splits them, for the single quotes `commandLine` writes.
  static func shellWords(_ line: String) -> [String] {
    var words: [String] = []
    var word: String?
    var quoted = false
    var escaped = false
    for character in line {
      if quoted {
        if character == "'" { quoted = false } else { word!.append(character) }
      } else if escaped {
        word = (word ?? "") + String(character)
        escaped = false
      } else if character == "'" {
        quoted = true
        word = word ?? ""
      } else if character == "\\" {
        escaped = true
      } else if character == " " {
        if let done = word { words.append(done) }
        word = nil
      } else {
        word = (word ?? "") + String(character)
      }
    }
    if let done = word { words.append(done) }
    return words
  }

  /// What shaped the screen (theme, presentation mode, hidden panels and knobs, caption, ASCII,
  /// view) comes back from the printed line too, the help overlay's and `--print-command`'s.
  @Test func theScreenOptionsParseBack() throws {
    var rng = SystemRandomNumberGenerator()
    let titles = ["Moons", "it's the post", "two words"]
    for round in 0..<24 {
      let settings = Self.randomSettings(&rng)
      var presentation = Presentation()
      presentation.present = Bool.random(using: &rng)
      presentation.hiddenPanels = Set(Panel.allCases.filter { _ in Int.random(in: 0..<4, using: &rng) == 0 })
      presentation.hiddenKnobs = Set(Knob.all.filter { _ in Int.random(in: 0..<6, using: &rng) == 0 })
      presentation.title = Bool.random(using: &rng) ? titles.randomElement(using: &rng) : nil
      var model = DashboardModel(settings: settings, width: 100, height: 30, presentation: presentation)
      model.themeName = ["default", "projector", "mono"].randomElement(using: &rng)!
      model.asciiForced = Bool.random(using: &rng)
      // every view once, then at random
      let views = ViewMode.allCases
      model.view = round < views.count ? views[round] : views.randomElement(using: &rng)!
      let line = model.commandLine
      let words = Self.shellWords(line)
      #expect(words.first == "descent", "\(line)")
      let watch = try Watch.parse(Array(words.dropFirst()))
      let options = try watch.screen.dashboard(watch.options.setup, title: watch.title)
      #expect(options.settings.setup == settings.setup, "\(line)")
      #expect(options.theme == model.themeName, "\(line)")
      #expect(options.ascii == model.asciiForced, "\(line)")
      #expect(options.presentation == presentation, "\(line)")
      let view = watch.sweep ? ViewMode.sweep : (watch.view ?? .boundary)
      #expect(view == model.view, "\(line)")
    }
  }

  /// The command line as the help screen (`?`) shows it, wrapped in its box, read off the
  /// screen and parsed back, gives the same setup.
  @Test func theHelpScreensCommandLineParsesBack() throws {
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<5 {
      let settings = Self.randomSettings(&rng)
      var model = DashboardModel(settings: settings, width: 100, height: 40)
      model.showHelp = true
      var screen = Screen()
      let rows = screen.render(model).text.split(separator: "\n").map { Array($0) }
      let first = try #require(rows.firstIndex { String($0).contains("│ descent ") })
      let column = try #require(String(rows[first]).range(of: "│ descent ")).lowerBound.utf16Offset(
        in: String(rows[first]))
      var words: [String] = []
      for row in rows[first...] where row.count > column && row[column] == "│" {
        words += String(row[(column + 1)...].prefix { $0 != "│" }).split(separator: " ").map(String.init)
      }
      let line = words.joined(separator: " ")
      let parts = Self.shellWords(line)
      #expect(parts.first == "descent" && line.count >= 7)
      let watch = try Watch.parse(Array(parts.dropFirst()))
      let parsed = try watch.screen.dashboard(watch.options.setup, title: nil).settings
      #expect(parsed.setup == settings.setup, "\(line)")
    }
  }
}
