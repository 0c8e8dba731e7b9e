import Foundation
import Testing

@testable import Dashboard
import DescentCore

@Suite("Themes")
struct ThemeTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  @Test func theBinaryCarriesExactlyTheThemesFolder() throws {
    let folder = Self.root.appendingPathComponent("themes")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".toml") }
    #expect(Set(files.map { String($0.dropLast(5)) }) == Set(builtinThemeFiles.map(\.name)))
    for (name, text) in builtinThemeFiles {
      let onDisk = try String(contentsOf: folder.appendingPathComponent(name + ".toml"), encoding: .utf8)
      #expect(onDisk == text, "themes/\(name).toml changed: run scripts/embed.py")
    }
  }

  @Test(arguments: ["default", "light", "projector", "colorblind", "mono", "solarized", "gruvbox"])
  func everyShippedThemeParses(name: String) throws {
    let theme = try ThemeCatalog.load(name, environment: [:])
    #expect(theme.name == name)
    #expect(theme.classes.count >= 6 && theme.regions.count == theme.classes.count && theme.glyphs.count >= 6)
    #expect(theme.monochrome == (name == "mono"))
  }

  @Test func colorblindUsesOkabeItoAndDistinctGlyphs() throws {
    let theme = try ThemeCatalog.load("colorblind", environment: [:])
    let okabeIto = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7"].compactMap(
      RGB.init(hex:))
    #expect(theme.classes.allSatisfy(okabeIto.contains))
    #expect(Set(theme.glyphs.prefix(6)).count == 6)
  }

  @Test func projectorHasMaximumContrast() throws {
    let theme = try ThemeCatalog.load("projector", environment: [:])
    #expect(theme.background == RGB(255, 255, 255) && theme.text == RGB(0, 0, 0))
    // Every class colour stands out from white by at least 3:1 in luminance terms.
    #expect(theme.classes.allSatisfy { $0.luminance < 0.5 })
  }

  @Test func problemsComeWithTheirLines() {
    let text = """
      name = "broken"
      background = "none"
      text = "red"
      dim = "#808080"
      border = "#808080"
      title = "#808080"
      focus = "#808080"
      train_loss = "#808080"
      test_loss = "#808080"
      marker = "#808080"
      colour = "#ffffff"

      [status]
      running = "#00ff00"
      paused = 3
      diverged = "#ff0000"
      done = "#0000ff"

      [classes]
      points = ["#ff0000", "#00ff00"]
      """
    #expect(throws: ThemeProblems.self) { try Theme.parse(text, file: "b.toml") }
    do throws(ThemeProblems) {
      _ = try Theme.parse(text, file: "b.toml")
    } catch {
      #expect(
        error.problems.map(\.description) == [
          "b.toml:3: text = \"red\" is not a colour; write \"#rrggbb\"",
          "b.toml:11: unknown key 'colour'; the keys are listed in the README",
          "b.toml:15: 'paused' must be a string in quotes",
          "b.toml:15: missing 'status.paused' (\"#rrggbb\")",
          "b.toml:20: classes.points has 2 colours; at least 6 are needed",
        ])
    }
  }

  @Test func invalidTOMLNamesTheLine() {
    do throws(ThemeProblems) {
      _ = try Theme.parse("name = \"x\"\ntext = \"#ffffff\n", file: "t.toml")
      Issue.record("parsed")
    } catch {
      #expect(error.problems.count == 1 && error.problems[0].line == 2)
      #expect(error.problems[0].description.hasPrefix("t.toml:2: not valid TOML"))
    }
  }

  @Test func userThemesComeFromTheConfigFolder() throws {
    let config = NSTemporaryDirectory() + "descent-themes-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: config + "/descent/themes", withIntermediateDirectories: true)
    let mine = builtinThemeFiles[0].text.replacingOccurrences(of: "name = \"default\"", with: "name = \"mine\"")
    try mine.write(toFile: config + "/descent/themes/mine.toml", atomically: true, encoding: .utf8)
    let environment = ["XDG_CONFIG_HOME": config]
    #expect(ThemeCatalog.names(environment: environment).last == "mine")
    #expect(try ThemeCatalog.load("mine", environment: environment).name == "mine")
    #expect(throws: ThemeProblems.self) { try ThemeCatalog.load("nonexistent", environment: environment) }
  }

  @Test func monoRenderingHasNoColourAndShadesTheRegions() {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    model.snapshot = WidgetTests.snapshot()
    var screen = Screen(theme: .mono)
    let buffer = screen.render(model)
    #expect(buffer.cells.allSatisfy { $0.style.fg == nil && $0.style.bg == nil })
    #expect(buffer.text.unicodeScalars.contains { "░▒▓".unicodeScalars.contains($0) })
    #expect(!buffer.text.contains("▀"))
    // The focused knob is in reverse video.
    let row = model.layout.knobs.y + 1
    #expect((0..<80).contains { buffer[$0, row].style.reverse })
  }

  @Test func presentationModeFitsAtSixtyByTwenty() {
    var model = DashboardModel(
      settings: Settings(), width: 60, height: 20, presentation: Presentation(present: true, title: "Lesson 3"))
    var snapshot = WidgetTests.snapshot()
    snapshot.loss = 0.0713
    snapshot.accuracy = 0.975
    model.snapshot = snapshot
    var screen = Screen()
    let text = screen.render(model).text
    #expect(model.layout.knobs.isEmpty && model.layout.status.height == 2)
    #expect(text.hasPrefix(String(repeating: " ", count: 26) + "Lesson 3"))
    #expect(text.contains(" iteration 11  loss 0.0713  accuracy 97.5%  running"))
    #expect(text.contains(" 3 hidden units  learning rate 0.01  regularization 0.01"))
  }

  @Test func hiddenPanelsAndKnobs() {
    let presentation = Presentation(hiddenPanels: [.loss], hiddenKnobs: [.lambda, .redraw])
    var model = DashboardModel(settings: Settings(), width: 80, height: 24, presentation: presentation)
    #expect(model.layout.loss.isEmpty && !model.layout.knobs.isEmpty)
    #expect(model.layout.knobs.height == 8, "room for the largest page: the exercises' 6 knobs and the border")
    _ = model.handle(.focusNext)
    _ = model.handle(.focusNext)
    #expect(model.focus == .speed)
    var screen = Screen()
    let text = screen.render(model).text
    #expect(!text.contains("lambda") && !text.contains("redraw") && !text.contains("╭ loss"))
  }

  @Test func commandLineRecreatesTheSetup() {
    var settings = Settings()
    #expect(settings.commandLine == "descent")
    settings.setup.hidden = 5
    settings.setup.training.epsilon = 0.05
    settings.speed = .infinity
    #expect(settings.commandLine == "descent --hidden 5 --epsilon 0.05 --speed max")
  }

  @Test func commandLineCarriesThePlaygroundOptions() {
    var settings = Settings()
    settings.setup.widths = [8, 4]
    settings.setup.features = InputFeatures(list: [.x1sq, .x2sq])
    settings.setup.training.regularization = .l1
    settings.setup.training.optimizer = Optimizer(.adam, beta2: 0.99)
    settings.setup.training.dropout = 0.25
    #expect(
      settings.commandLine
        == "descent --features x1sq,x2sq --optimizer adam --reg l1 --dropout 0.25 --hidden 8,4 --beta2 0.99")
    settings.setup.training.optimizer = Optimizer(.nesterov, momentum: 0.5)
    settings.set(.hidden, 5)  // the knob sets every layer's width
    #expect(
      settings.commandLine.hasPrefix(
        "descent --hidden 5 --layers 2 --features x1sq,x2sq --optimizer nesterov --momentum 0.5 --reg l1"))
  }
}

@Suite("Theme files found by fuzzing")
struct ThemeRegressionTests {
  static let corpus = ThemeTests.root.appendingPathComponent("Fuzz/corpus/theme")

  /// toml++ aborted (a failed assertion) on a table header that starts with a comment.
  @Test func aHeaderStartingWithACommentIsAProblemNotACrash() throws {
    let text = try String(
      contentsOf: Self.corpus.appendingPathComponent("regression-header-comment.toml"), encoding: .utf8)
    do throws(ThemeProblems) {
      _ = try Theme.parse(text, file: "r.toml")
      Issue.record("parsed")
    } catch {
      #expect(
        error.problems.map(\.description) == [
          "r.toml:15: not valid TOML: a key is letters, digits, - and _, or a quoted string"
        ])
    }
    #expect(throws: ThemeProblems.self) { try Theme.parse("[#x\n", file: "r.toml") }
    #expect(throws: ThemeProblems.self) { try Theme.parse("  [ \"a\" . b ] ]\n", file: "r.toml") }
  }

  /// Found next: quotes that looked like the start of a multi-line string hid a bad header.
  @Test func quotesBeforeABadHeaderDoNotHideIt() throws {
    let text = try String(
      contentsOf: Self.corpus.appendingPathComponent("regression-quotes-then-header.toml"), encoding: .utf8)
    #expect(throws: ThemeProblems.self) { try Theme.parse(text, file: "r.toml") }
  }

  /// Found third: an array with a stray } made toml++ assert.
  @Test func aStrayBraceInAnArrayIsAProblem() {
    #expect(throws: ThemeProblems.self) { try Theme.parse("points = [}}\"#ffffff\"]\n", file: "r.toml") }
  }

  @Test func everyShippedThemeIsInTheSubset() {
    for (name, text) in builtinThemeFiles { #expect(TOMLSubset.validate(text) == nil, "\(name)") }
    #expect(
      TOMLSubset.validate("[status]\n[ \"odd key\" . 'x' ]  # note\na = [\n  1, # one\n  \"\\u00e9\",\n]\nb = true\r\n")
        == nil)
  }
}

@Suite("Themes at 8 and 16 colours")
struct LowColorThemeTests {
  /// Four classes' points (and the optimizer race's four curves, which take their colours) stay
  /// apart at 8 and 16 colours: at 8, class 3 took class 0's yellow, and gd's and adam's curves
  /// could not be told apart.
  @Test(arguments: ["default", "light", "projector", "colorblind", "solarized", "gruvbox"], [8, 16])
  func fourClassesKeepFourColours(name: String, colors: Int) throws {
    let theme = try ThemeCatalog.load(name, environment: [:]).adapted(toColors: colors)
    let points = (0..<4).map { Palette.nearest(theme.classColor($0), among: colors) }
    #expect(Set(points).count == 4, "\(name) at \(colors) colours: \(points)")
  }

  @Test(arguments: ["default", "light", "projector", "colorblind", "solarized", "gruvbox"], [8, 16])
  func pointsStandOutFromRegionsAndRegionsFromTheBackground(name: String, colors: Int) throws {
    let theme = try ThemeCatalog.load(name, environment: [:]).adapted(toColors: colors)
    let index = { (color: RGB) in Palette.nearest(color, among: colors) }
    let ground = index(theme.uncertain)
    let regions = (0..<3).map { index(theme.regionColor($0)) }
    let points = (0..<3).map { index(theme.classColor($0)) }
    #expect(Set(regions).count == 3 && !regions.contains(ground), "\(name) regions \(regions) on \(ground)")
    for k in 0..<3 {
      #expect(!regions.contains(points[k]) && points[k] != ground, "\(name) point \(k): \(points) on \(regions)")
      let contrast = abs(Palette.xterm(points[k]).luminance - Palette.xterm(regions[k]).luminance)
      #expect(contrast >= 0.25, "\(name) point \(k) on its own region: \(contrast)")
    }
  }

  @Test func twoFiftySixColoursKeepTheTheme() {
    #expect(Theme.standard.adapted(toColors: 256) == Theme.standard)
    #expect(Theme.standard.adapted(toColors: 0x100_0000) == Theme.standard)
  }
}
