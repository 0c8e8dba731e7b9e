import DescentCore
import Dispatch
import Foundation
import Testing

@testable import Dashboard

@Suite("The optimizer race and the classes view")
struct RaceAndClassesTests {
  @Test func theRaceKeyOpensOnePanelPerOptimizerAndTheMainRunWaits() {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    #expect(KeyMap.action(for: .char("O")) == .toggleRace)
    #expect(model.handle(.toggleRace) == [.startSweep, .main(.pause)])
    #expect(model.view == .race && model.sweepTitles == ["gd", "momentum", "nesterov", "adam"])
    #expect(model.panelRules == OptimizerKind.allCases.map(PanelRule.optimizer))
    #expect(model.commandLine.hasSuffix("--view race"))
    // Knobs go to the main run and to every panel (each keeps its own optimizer).
    let effects = model.handle(.adjust(1))
    #expect(effects.count == 3 && effects[1] == .main(.pause))
    #expect(effects.contains { if case .sweep(.apply) = $0 { true } else { false } })
    // From the race to the sweep the panels change and the main run keeps waiting.
    #expect(model.handle(.toggleSweep) == [.stopSweep, .startSweep])
    #expect(model.sweepTitles.first == "1 unit")
    #expect(model.handle(.toggleRace) == [.stopSweep, .startSweep])
    #expect(model.handle(.toggleRace) == [.stopSweep, .main(.resume)] && model.view == .boundary)
  }

  /// In the sweep, space and the status bar follow the panels still training: at full speed the
  /// narrow networks are done long before the wide ones, which space must still pause. A reset
  /// there leaves the main run waiting, even one that was done (a new run would start it).
  @Test func spaceAndTheStatusBarFollowThePanelsStillTraining() throws {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    _ = model.handle(.toggleSweep)
    var done = Snapshot.forBenchmark(trainer: try RunSetup.post.makeTrainer(), iteration: 100)
    done.state = .done
    var running = done
    running.state = .running
    model.sweep = [done, done, running] + Array(repeating: nil, count: model.sweep.count - 3)
    var screen = Screen()
    #expect(screen.render(model).text.contains("▶ running"))
    #expect(model.handle(.togglePause) == [.sweep(.pause)])
    model.sweep[2]?.state = .paused
    #expect(screen.render(model).text.contains("paused"))
    #expect(model.handle(.togglePause) == [.sweep(.resume)])
    #expect(model.handle(.reset) == [.main(.reset), .main(.pause), .sweep(.reset)])
  }

  /// The sweep's status bar gives the iteration every panel still training has reached: the one
  /// furthest behind, so the number does not jump back as the narrow panels finish (it went from
  /// the first panel still running to the next, 36,265 then 80,883 then 60,357).
  @Test func theSweepsIterationIsThePanelFurthestBehind() throws {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    _ = model.handle(.toggleSweep)
    var panel = Snapshot.forBenchmark(trainer: try RunSetup.post.makeTrainer(), iteration: 0)
    func at(_ iteration: Int, _ state: TrainingState) -> Snapshot {
      panel.iteration = iteration
      panel.state = state
      return panel
    }
    let rest = Array(repeating: Snapshot?.none, count: model.sweep.count - 4)
    model.sweep = [at(40_000, .done), at(80_884, .running), at(60_358, .running), at(70_001, .paused)] + rest
    var screen = Screen()
    func statusBar() -> Substring {
      screen.render(model).text.split(separator: "\n").last { $0.contains("sweep") } ?? ""
    }
    var status = statusBar()
    #expect(status.contains("it 60,357") && status.contains("▶ running"), "\(status)")
    model.sweep[1]?.state = .done
    model.sweep[2]?.state = .done
    status = statusBar()
    #expect(status.contains("it 70,000") && status.contains("paused"), "\(status)")
  }

  /// A reader's question shows in the sweep's panels; once left, g opens the hidden-size sweep
  /// (it showed the question again, titled "hidden-size sweep"), and x starts from the first.
  @Test func theSweepKeyAfterAQuestionOpensTheHiddenSizes() {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    _ = model.handle(.card(1))
    _ = model.handle(.card(1))
    #expect(model.card == 1 && model.view == .sweep && model.sweepTitles == Card.all[1].panels.map(\.title))
    // g leaves the question for the boundary; x would go on from it.
    _ = model.handle(.toggleSweep)
    #expect(model.view == .boundary && model.card == 1)
    #expect(model.handle(.toggleSweep) == [.startSweep, .main(.pause)])
    #expect(model.view == .sweep && model.card == nil && model.sweepTitles.first == "1 unit")
    _ = model.handle(.card(1))
    #expect(model.card == 0)
  }

  /// A reader's question's panels keep their own settings: a knob moves the main run only, which
  /// then waits again (one that was done would start its new run behind the panels).
  @Test func aKnobUnderAQuestionMovesTheMainRunWhichWaits() {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    _ = model.handle(.card(1))
    _ = model.handle(.card(1))
    let effects = model.handle(.adjust(1))
    #expect(effects == [.main(.apply(model.settings)), .main(.pause)])
  }

  /// Escape puts a reader's question away and goes back to the boundary, its panels stopped and
  /// the main run going on; with the help open it closes the help first.
  @Test func escapeClosesAQuestion() {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    _ = model.handle(.card(1))
    _ = model.handle(.card(1))
    _ = model.handle(.toggleHelp)
    _ = model.handle(.closeHelp)
    #expect(!model.showHelp && model.card == 1 && model.view == .sweep)
    #expect(model.handle(.closeHelp) == [.stopSweep, .main(.resume)])
    #expect(model.card == nil && model.view == .boundary)
    _ = model.handle(.card(1))
    #expect(model.card == 0)
  }

  @Test func aPanelKeepsItsOwnOptimizerWhateverTheKnobsSend() {
    var sent = Settings()
    sent.setup.training.optimizer.kind = .momentum
    sent.setup.training.epsilon = 0.02
    let kept = PanelRule.optimizer(.adam).applied(to: sent)
    #expect(kept.setup.training.optimizer.kind == .adam && kept.setup.training.epsilon == 0.02)
    #expect(PanelRule.hidden(5).applied(to: sent).setup.hidden == 5)
  }

  /// The four panels start from the same weights, each on its own thread, and part ways at once:
  /// after one step Nesterov's and Adam's parameters are their own; momentum's first step is plain
  /// descent's (v starts at 0, so v = -ε·g).
  @Test func racePanelsStartFromTheSameWeightsAndDiverge() throws {
    var settings = Settings()
    settings.speed = .infinity
    let data = try settings.setup.loadData()
    let sessions = PanelRule.race.map {
      TrainingSession(settings: settings, train: data.train, test: nil, paused: true, panel: $0)
    }
    for session in sessions { session.start() }
    defer { for session in sessions { session.stop() } }
    func next(_ session: TrainingSession, _ accept: (Snapshot) -> Bool) -> Snapshot? {
      let deadline = DispatchTime.now().uptimeNanoseconds + 60_000_000_000
      while DispatchTime.now().uptimeNanoseconds < deadline {
        if let snapshot = session.snapshots.take(), accept(snapshot) { return snapshot }
        usleep(2000)
      }
      return nil
    }
    let first = try sessions.map { try #require(next($0) { _ in true }) }
    #expect(first.allSatisfy { $0.boundaryNetwork == first[0].boundaryNetwork })
    #expect(first.map(\.settings.setup.training.optimizer.kind) == OptimizerKind.allCases)
    for session in sessions { session.send(.step) }
    let stepped = try sessions.map { try #require(next($0) { $0.iteration == 1 }) }
    let networks = stepped.map(\.boundaryNetwork)
    #expect(Set(networks.map { $0.layers[0].W.storage }).count == 3)
    #expect(networks[0] == networks[1] && networks[0] != first[0].boundaryNetwork)
  }

  @Test func theRaceViewDrawsEveryLossOnOneChartWithTheirNames() {
    var snapshots: [Snapshot?] = []
    for (i, loss) in [0.07, 0.05, 0.04, 0.02].enumerated() {
      var snapshot = WidgetTests.snapshot()
      for t in 0..<200 { snapshot.history.train.append(t, loss * (1 + Double(200 - t) / 50)) }
      snapshot.loss = loss
      snapshot.state = i == 3 ? .diverged(at: 150) : .paused
      snapshots.append(snapshot)
    }
    let theme = Theme.standard
    let view = RaceView(
      titles: ["gd", "momentum", "nesterov", "adam"], snapshots: snapshots, theme: theme, logScale: true)
    var buffer = CellBuffer(width: 40, height: 23)
    view.render(into: &buffer, buffer.bounds)
    let lines = buffer.text.split(separator: "\n").map(String.init)
    #expect(lines[0].hasPrefix("╭ losses · log · run"))
    #expect(lines.contains { $0.hasPrefix("│ ━ gd       0.0700  it 11 ") })
    #expect(lines.contains { $0.contains("━ adam     0.0200  it 11  diverged") })
    // Each curve in its panel's colour: every colour of the four is on the chart.
    let colours = Set(
      (1..<16).flatMap { y in (8..<35).map { buffer[$0, y] } }.filter { $0.char != " " }.compactMap(\.style.fg))
    let classes = (0..<4).map(theme.classColor)
    #expect(Set(classes).count == 4 && classes.allSatisfy { colours.contains($0) })
  }

  @Test func theClassesViewShowsTheMatrixAndEachClassesAccuracy() {
    var snapshot = WidgetTests.snapshot()
    snapshot.confusion = ConfusionMatrix(counts: [[98, 2], [3, 97]])
    snapshot.accuracy = 0.975
    var buffer = CellBuffer(width: 36, height: 15)
    ClassesView(snapshot: snapshot, theme: .standard).render(into: &buffer, buffer.bounds)
    let lines = buffer.text.split(separator: "\n").map(String.init)
    #expect(lines[0].hasPrefix("╭ classes · 97.5% "))
    #expect(lines[1] == "│ class   0   1  right             │")
    #expect(lines[2] == "│ ● 0    98   2  98.0%             │")
    #expect(lines[3] == "│ ▲ 1     3  97  97.0%             │")
    #expect(
      buffer[10, 2].style.fg == Theme.standard.classColor(0) && buffer[14, 3].style.fg == Theme.standard.classColor(1))
    // Ten classes do not fit 36 columns as a matrix: each class's accuracy instead.
    snapshot.confusion = ConfusionMatrix(
      counts: (0..<10).map { k in (0..<10).map { $0 == k ? 18 : ($0 == (k + 1) % 10 ? 2 : 0) } })
    ClassesView(snapshot: snapshot, theme: .standard).render(into: &buffer, buffer.bounds)
    let list = buffer.text
    #expect(list.contains("0 90.0% of 20") && list.contains("9 90.0% of 20"))
  }

  @Test func theClassesKeyAndARegression() throws {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    #expect(KeyMap.action(for: .char("a")) == .toggleClasses)
    #expect(model.handle(.toggleClasses).isEmpty && model.view == .classes)
    var snapshot = WidgetTests.snapshot()
    snapshot.rmse = 0.125
    var buffer = CellBuffer(width: 36, height: 15)
    ClassesView(snapshot: snapshot, theme: .standard).render(into: &buffer, buffer.bounds)
    #expect(buffer.text.contains("A regression has no classes") && buffer.text.contains("0.1250"))
  }
}
