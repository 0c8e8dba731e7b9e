import DescentCore
import Foundation
import SVGTestSupport
import Testing

@testable import Dashboard

@Suite("Knob pages: the exercises and the data")
struct KnobPageTests {
  @Test func pagesHoldEveryKnobOnce() {
    let paged = Knob.pages.flatMap(\.knobs)
    #expect(paged.count == Knob.all.count && Set(paged) == Set(Knob.all))
  }

  @Test func pagesSwitchWithBracketsAndFocusFollows() {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    #expect(model.pageKnobs == [.hidden, .epsilon, .lambda, .redraw, .speed])
    _ = model.handle(.nextPage)
    #expect(model.focus == .batch && model.pageKnobs == [.batch, .anneal, .activation, .layers, .layer, .width])
    _ = model.handle(.nextPage)
    #expect(model.focus == .dataset && model.pageKnobs == [.dataset, .samples, .noise, .classes, .weightInit])
    _ = model.handle(.nextPage)
    #expect(model.focus == .features)
    #expect(model.pageKnobs == [.features, .optimizer, .momentum, .regularization, .dropout])
    _ = model.handle(.nextPage)
    #expect(model.focus == .hidden)
    _ = model.handle(.previousPage)
    #expect(model.focus == .features)
  }

  @Test func exerciseKnobsApplyLiveOrRestart() {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    _ = model.handle(.nextPage)
    #expect(model.trainerSees(.adjust(1)) == [.set(.batch, 1)])
    #expect(model.trainerSees(.adjust(3)) == [.set(.batch, 10)])
    #expect(model.trainerSees(.adjust(-5)) == [.set(.batch, 0)] && model.settings.setup.training.batchSize == nil)
    _ = model.handle(.focusNext)
    #expect(model.trainerSees(.adjust(1)) == [.set(.anneal, 1e-5)])
    _ = model.handle(.focusNext)
    var setup = RunSetup.post
    setup.training.anneal = 1e-5
    setup.activation = .sigmoid
    #expect(model.trainerSees(.adjust(1)) == [.restart(setup, label: "activation sigmoid")])
    _ = model.handle(.focusNext)
    setup.layers = 2
    #expect(model.trainerSees(.adjust(1)) == [.restart(setup, label: "layers 2")])
    // The command line lists the knobs in the knob table's order.
    #expect(model.settings.commandLine == "descent --anneal 1e-05 --activation sigmoid --layers 2")
  }

  @Test func dataKnobsChangeTheDataAndOnlyWhereTheyApply() {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    _ = model.handle(.nextPage)
    _ = model.handle(.nextPage)
    guard case .restart(let circles, "dataset circles")? = model.trainerSees(.adjust(1)).first else {
      Issue.record("the dataset knob restarts on circles")
      return
    }
    #expect(circles.source == .generated(.circles))
    // Two classes only for circles: the classes knob does nothing and says so by a dash.
    _ = model.handle(.focusNext)
    _ = model.handle(.focusNext)
    _ = model.handle(.focusNext)
    #expect(model.focus == .classes && !model.settings.applies(.classes))
    #expect(model.trainerSees(.adjust(1)) == [])
    // The spiral has three arms by default and takes more.
    _ = model.handle(.focusPrevious)
    _ = model.handle(.focusPrevious)
    _ = model.handle(.focusPrevious)
    _ = model.handle(.adjust(3))
    #expect(model.settings.setup.source == .generated(.spiral) && model.settings.setup.classes == 3)
    // No file was given, so the knob stops at the last built-in set.
    #expect(model.trainerSees(.adjust(1)) == [])
    var withFile = Settings(setup: RunSetup.post)
    withFile.dataFile = "points.csv"
    withFile = Knob.dataset.stepped(withFile, by: 5)
    #expect(withFile.setup.source == .file("points.csv") && !withFile.applies(.noise))
  }

  @Test func newDataIsAFreshSeedOnTheSameSetup() {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    guard case .restart(let setup, "new data")? = model.trainerSees(.newData).first else {
      Issue.record("d restarts on new data")
      return
    }
    #expect(setup.seed != 0 && setup.hidden == 3 && setup.source == .generated(.moons))
    #expect(model.settings.commandLine.contains("--seed \(setup.seed)"))
  }
}

@Suite("Points by mouse")
struct PointEditingTests {
  static func model() -> DashboardModel {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    let data = Dataset.generate(.moons, samples: 200, seed: 0)
    var snapshot = WidgetTests.snapshot()
    snapshot.data = data
    snapshot.bounds = PlotBounds([data])
    model.snapshot = snapshot
    return model
  }

  @Test func aClickInThePlotAddsAPointThereOfTheChosenClass() throws {
    var model = Self.model()
    _ = model.handle(.pickClass(1))
    let area = BoundaryPlot.plotArea(in: model.layout.plot)
    let commands = model.trainerSees(.click(x: area.x, y: area.maxY - 1))
    guard case .verb(.addPoint(let x, let y, 1))? = commands.first else {
      Issue.record("a click adds a class-1 point: \(commands)")
      return
    }
    let bounds = try #require(model.snapshot).bounds
    // The centre of the bottom-left cell.
    #expect(abs(x - (bounds.xMin + 0.5 / Double(area.width) * (bounds.xMax - bounds.xMin))) < 1e-12)
    #expect(abs(y - (bounds.yMin + 0.5 / Double(area.height) * (bounds.yMax - bounds.yMin))) < 1e-12)
    #expect(model.settings.edits == 1)
    // Class 5 does not exist in a two-class network.
    _ = model.handle(.pickClass(5))
    #expect(model.pointClass == 1 && model.message?.contains("press 0 to 1") == true)
  }

  @Test func aRightClickRemovesTheNearestPointExactly() throws {
    var model = Self.model()
    let data = try #require(model.snapshot).data
    let bounds = try #require(model.snapshot).bounds
    let area = BoundaryPlot.plotArea(in: model.layout.plot)
    // Aim at point 7's cell.
    let col = Int((data.X[7, 0] - bounds.xMin) / (bounds.xMax - bounds.xMin) * Double(area.width))
    let row = Int((bounds.yMax - data.X[7, 1]) / (bounds.yMax - bounds.yMin) * Double(area.height))
    let commands = model.trainerSees(.secondaryClick(x: area.x + col, y: area.y + row))
    guard case .verb(.removePoint(let index, let version))? = commands.first else {
      Issue.record("a right click removes a point")
      return
    }
    #expect(index == 7 && version == model.snapshot?.dataVersion, "the command names the point aimed at")
    #expect(model.trainerSees(.secondaryClick(x: 0, y: 0)) == [], "outside the plot nothing happens")
  }

  @Test func theTrainerCarriesOnWithTheEditedPoints() throws {
    var settings = Settings()
    settings.speed = .infinity
    let (train, test) = try settings.setup.loadData()
    let session = TrainingSession(settings: settings, train: train, test: test, paused: true)
    session.start()
    defer { session.stop() }
    for _ in 0..<50 { session.send(.step) }
    let before = try #require(SessionTests.waitFor(session) { $0.iteration == 50 })
    session.send(.addPoint(x: 0.5, y: 0.25, label: 1))
    let added = try #require(SessionTests.waitFor(session) { $0.data.count == 201 })
    #expect(added.iteration == 50 && added.run == before.run, "no restart")
    #expect(added.data.y.last == 1 && added.data.X[200, 0] == 0.5)
    #expect(added.bounds == before.bounds, "the plot does not move under the mouse")
    #expect(added.dataVersion > before.dataVersion)
    session.send(.step)
    let stepped = try #require(SessionTests.waitFor(session) { $0.iteration == 51 })
    #expect(stepped.loss == stepped.measuredNetwork.loss(on: stepped.data, lambda: 0.01))
    session.send(.removePoint(index: 200, dataVersion: added.dataVersion))
    let removed = try #require(SessionTests.waitFor(session) { $0.data.count == 200 })
    #expect(removed.data.y == train.y, "the same points as before")
    session.send(.addPoint(x: 0, y: 0, label: 7))
    usleep(100_000)
    session.send(.step)
    let refused = try #require(SessionTests.waitFor(session) { $0.iteration == 52 })
    #expect(refused.data.count == 200, "a class the network does not have is refused")
  }
}

@Suite("Logistic regression beside the network")
struct BaselineTests {
  @Test func theBaselineIsFittedToTheSessionsData() throws {
    let settings = Settings()
    let (train, test) = try settings.setup.loadData()
    let session = TrainingSession(settings: settings, train: train, test: test, paused: true)
    session.start()
    defer { session.stop() }
    session.send(.showBaseline(true))
    let shown = try #require(SessionTests.waitFor(session) { $0.baseline != nil })
    #expect(shown.baselineAccuracy == 0.85, "the post's 'logistic regression' accuracy on the moons")
    #expect(shown.baseline == LogisticRegression.fitCV(train))
    session.send(.showBaseline(false))
    #expect(SessionTests.waitFor(session) { $0.baseline == nil } != nil)
  }

  @Test func theLineIsDrawnWhereThePredictionChanges() {
    var snapshot = WidgetTests.snapshot()
    snapshot.data = Dataset.generate(.moons, samples: 200, seed: 0)
    snapshot.bounds = PlotBounds([snapshot.data])
    let baseline = LogisticRegression.fitCV(snapshot.data)
    var buffer = CellBuffer(width: 40, height: 20)
    BoundaryPlot(
      data: snapshot.data, test: nil, layer: nil, bounds: snapshot.bounds, title: "t", footer: "", theme: .standard,
      baseline: baseline
    ).render(into: &buffer, buffer.bounds)
    let area = BoundaryPlot.plotArea(in: buffer.bounds)
    // A straight line crosses every column of the plot (it is not vertical here).
    for x in area.x..<area.maxX {
      let dotted = (area.y..<area.maxY).contains { y in
        let scalar = buffer[x, y].char
        return (0x2801...0x28FF).contains(scalar.value) || ["●", "▲"].contains(scalar)
      }
      #expect(dotted, "column \(x)")
    }
  }
}

@Suite("Views: sweep, hidden units, tour")
struct ViewTests {
  @Test func sweepTilesFillTheScreenWithoutOverlap() {
    let rect = Rect(x: 0, y: 0, width: 100, height: 29)
    let tiles = SweepGrid.tiles(count: 7, in: rect)
    #expect(tiles.count == 7)
    for (i, a) in tiles.enumerated() {
      #expect(a.x >= 0 && a.maxX <= 100 && a.maxY <= 29 && a.width >= 20 && a.height >= 10)
      for b in tiles[(i + 1)...] { #expect(a.maxX <= b.x || b.maxX <= a.x || a.maxY <= b.y || b.maxY <= a.y) }
    }
  }

  @Test func unitMapsShowEveryUnitThatFits() {
    let network = Network(sizes: [2, 3, 2], seed: 0)
    var buffer = CellBuffer(width: 44, height: 14)
    UnitMaps(network: network, bounds: PlotBounds(xMin: -2, xMax: 3, yMin: -2, yMax: 2), theme: .standard)
      .figured(in: buffer.bounds).render(into: &buffer, buffer.bounds)
    let text = buffer.text
    #expect(text.contains("unit 1") && text.contains("unit 2") && text.contains("unit 3"))
    #expect(text.contains("▀"))
    // Each map has both classes' colours where the unit's vote flips sign... or at least two shades.
    let colours = Set((0..<44).flatMap { x in (2..<13).map { buffer[x, $0].style.fg } })
    #expect(colours.count >= 3)

    let wide = Network(sizes: [2, 64, 2], seed: 0)
    var small = CellBuffer(width: 30, height: 10)
    UnitMaps(network: wide, bounds: PlotBounds(xMin: -2, xMax: 3, yMin: -2, yMax: 2), theme: .standard)
      .figured(in: small.bounds).render(into: &small, small.bounds)
    #expect(small.text.contains("more"), "units that do not fit are counted")
  }

  @Test func aLessonWalksItsStagesAndStopsAtTheEnds() {
    var sweep = LessonStage(title: "Hidden size", caption: "one network per size", settings: Settings())
    sweep.view = .sweep
    var line = LessonStage(title: "The line", caption: "{line_accuracy} right", settings: Settings())
    line.baseline = true
    var layers = Settings()
    layers.setup.layers = 2
    let stages = [
      { () -> LessonStage in
        var first = LessonStage(title: "The data", caption: "moons", settings: Settings())
        first.paused = true
        return first
      }(),
      line, sweep, LessonStage(title: "Two layers", caption: "", settings: layers),
    ]
    let lesson = Lesson(name: "test", title: "A test", stages: stages)
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    let first = model.start(lesson)
    #expect(model.stage == 0 && first.contains(.main(.pause)))
    #expect(model.presentation.title?.hasPrefix("1/4 The data  ← →\nmoons") == true)
    #expect(model.handle(.stage(-1)) == [], "nothing before the first stage")
    let second = model.handle(.stage(1))
    #expect(second.contains(.main(.showBaseline(true))) && model.showBaseline)
    #expect(model.presentation.title?.hasSuffix("\n– right") == true, "no line fitted yet: a dash")
    _ = model.handle(.stage(1))
    #expect(model.view == .sweep)
    for _ in 0..<20 { _ = model.handle(.stage(1)) }
    #expect(model.stage == 3 && model.settings.setup.layers == 2 && model.view == .boundary)
    #expect(KeyMap.action(for: .right, inLesson: true) == .stage(1))
    #expect(KeyMap.action(for: .pageUp, inLesson: true) == .stage(-1))
    #expect(KeyMap.action(for: .pageDown, inLesson: false) == nil)
  }
}

@Suite("Export")
struct ExportTests {
  static func finishedSnapshot() throws -> (Snapshot, Settings) {
    var setup = RunSetup.post
    setup.testFraction = 0.2
    let trainer = try setup.makeTrainer()
    trainer.measuresLoss = true
    var history = LossHistory()
    for i in 0..<500 {
      trainer.step()
      history.train.append(i, trainer.lossBeforeLastStep!)
    }
    history.mark(250, "ε 0.02")
    let settings = Settings(setup: setup)
    let snapshot = Snapshot.finished(
      trainer: trainer, history: history, settings: settings, baseline: LogisticRegression.fitCV(trainer.data))
    return (snapshot, settings)
  }

  @Test func theSVGParsesAndHoldsRegionsPointsCurveAndKnobs() throws {
    let (snapshot, settings) = try Self.finishedSnapshot()
    for theme in ThemeCatalog.names() {
      let svg = SVGFigure(
        snapshot: snapshot, settings: settings, theme: ThemeCatalog.builtin(theme)!, showBaseline: true
      ).render()
      guard let check = SVGCheck.parse(Data(svg.utf8)) else {
        Issue.record("\(theme): not well-formed SVG")
        continue
      }
      #expect(check.inGroup["regions", default: 0] > 50)
      #expect(check.inGroup["points"] == 200)
      #expect(check.inGroup["baseline", default: 0] > 20)
      #expect(check.ids.contains("train-loss"))
      #expect(check.texts.contains("epsilon 0.01") && check.texts.contains("network 2-3-2 tanh"))
    }
  }

  @Test func textIsEscaped() {
    #expect(SVGFigure.escape("a<b & \"c\">") == "a&lt;b &amp; &quot;c&quot;&gt;")
  }

  @Test func exportsGoToNewFoldersAndNeverOverwrite() throws {
    let (snapshot, settings) = try Self.finishedSnapshot()
    let parent = NSTemporaryDirectory() + "descent-export-test-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: parent) }
    let date = Date(timeIntervalSince1970: 1_800_000_000)
    let first = try Export.write(
      snapshot: snapshot, settings: settings, theme: .standard, logScale: true, baseline: false, in: parent, date: date)
    let second = try Export.write(
      snapshot: snapshot, settings: settings, theme: .standard, logScale: true, baseline: false, in: parent, date: date)
    #expect(first != second && second == first + "-2")
    let model = try Network.load(from: parent + "/" + first + "/model.json")
    #expect(model == snapshot.boundaryNetwork)
    let data = try Dataset.readCSV(parent + "/" + first + "/data.csv")
    #expect(data == snapshot.data)
    let loss = try String(contentsOfFile: parent + "/" + first + "/loss.csv", encoding: .utf8)
    #expect(loss.split(separator: "\n").count == 501)
    // An existing file is refused, and left as it was.
    let path = parent + "/" + first + "/command.txt"
    let before = try String(contentsOfFile: path, encoding: .utf8)
    #expect(throws: InputError.self) { try AtomicFile.write("other", to: path, replacing: false) }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == before)
  }

  /// Points edited by hand go out as one file with the held-out points, in the rows that the same
  /// --test-fraction and --seed hold out again: the command and train.py see both sets as shown.
  @Test func anEditedExportKeepsItsTestSet() throws {
    var (snapshot, settings) = try Self.finishedSnapshot()
    let test = try #require(snapshot.test)
    snapshot.data = snapshot.data.subset(Array(3..<snapshot.data.count))  // three points removed
    settings.edits = 3
    let parent = NSTemporaryDirectory() + "descent-export-test-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: parent) }
    let folder = try Export.write(
      snapshot: snapshot, settings: settings, theme: .standard, logScale: true, baseline: false, in: parent)
    let path = parent + "/" + folder + "/data.csv"
    let all = try Dataset.readCSV(path)
    #expect(all.count == 197)
    let fraction = try #require(Dataset.joining(train: snapshot.data, test: test, seed: 0)).testFraction
    #expect(abs(fraction - 40.0 / 197) < 1e-15)
    let (train, heldOut) = all.split(testFraction: fraction, seed: 0)
    #expect(train == snapshot.data && heldOut == test)
    let script = try String(contentsOfFile: parent + "/" + folder + "/train.py", encoding: .utf8)
    #expect(script.contains("math.ceil(\(fraction) * len(X))") && script.contains(path))
  }
}

@Suite("The regions of a large network")
struct LargeNetworkLayerTests {
  /// Six layers of 256 units at 250x70 would be 11 G multiply-adds a frame: the layer is worked
  /// out on a coarser grid instead, each sample standing for a square of cells.
  @Test func aLargeNetworkIsSampledCoarselyWithinTheBudget() {
    let network = Network(sizes: [2] + [Int](repeating: 256, count: 6) + [2], seed: 0)
    let bounds = PlotBounds(xMin: -2, xMax: 3, yMin: -2, yMax: 2)
    let layer = BoundaryLayer(network: network, bounds: bounds, columns: 250, rows: 70)
    #expect(layer.columns == 250 && layer.samplesHigh == 140 && layer.classes.count == 250 * 140)
    let cost = Double(network.parameterCount) * 250 * 140
    let step = Int((cost / Double(BoundaryLayer.budget)).squareRoot().rounded(.up))
    #expect(step > 1)
    for (c, s) in [(0, 0), (step, step), (step * 2 + 1, step + 3)] where c + 1 < 250 {
      #expect(layer.sample(column: c, row: s) == layer.sample(column: c - c % step, row: s - s % step))
    }
    // The post's network is small: every half cell its own sample, as before.
    let small = BoundaryLayer(network: Network(sizes: [2, 3, 2], seed: 0), bounds: bounds, columns: 250, rows: 70)
    let exact = Network(sizes: [2, 3, 2], seed: 0).probabilities(
      Matrix([[bounds.xMin + 0.5 / 250 * 5, bounds.yMax - 0.5 / 140 * 4]]))
    #expect(small.classes[0] == (exact[0, 1] > exact[0, 0] ? 1 : 0))
  }
}

@Suite("The initial-weight knob")
struct WeightInitKnobTests {
  @Test func theInitKnobRestartsWithAMarkerAndPrintsItsOption() {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    model.focus = .weightInit
    var setup = RunSetup.post
    setup.weightInit = .unit
    #expect(model.trainerSees(.adjust(1)) == [.restart(setup, label: "init unit")])
    #expect(model.settings.commandLine == "descent --weight-init unit")
    #expect(Knob.named("init") == .weightInit)
  }
}
