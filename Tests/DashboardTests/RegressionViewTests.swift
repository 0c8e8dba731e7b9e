import DescentCore
import Foundation
import SVGTestSupport
import Testing

@testable import Dashboard

@Suite("Regression on screen and in the SVG")
struct RegressionViewTests {
  /// ŷ = 10·tanh(0.1·(x1 + x2)): about x1 + x2, so the prediction changes side along the
  /// anti-diagonal.
  static let plane = Network(
    layers: [Layer(W: Matrix([[0.1], [0.1]]), b: [0]), Layer(W: Matrix([[10]]), b: [0])], activation: .tanh,
    task: .regression)
  /// ŷ = tanh(x): one input, drawn as x against the target.
  static let curve = Network(
    layers: [Layer(W: Matrix([[1]]), b: [0]), Layer(W: Matrix([[1]]), b: [0])], activation: .tanh, task: .regression)

  @Test func theRegionsAreThePredictionOnADivergingRamp() {
    let bounds = PlotBounds(xMin: -1, xMax: 1, yMin: -1, yMax: 1)
    let ramp = RegressionRamp(centre: 0.5, halfRange: 1.5)
    let layer = BoundaryLayer(network: Self.plane, bounds: bounds, columns: 12, rows: 5, ramp: ramp)
    let grid = PlotGrid(bounds: bounds, columns: 12, rows: 10)
    var sides = Set<Int>()
    for row in 0..<10 {
      for column in 0..<12 {
        let (x, y) = grid.point(column: column, row: row)
        let yhat = Self.plane.predictions(Matrix([[x, y]]))[0]
        let sample = layer.sample(column: column, row: row)
        #expect(sample.class == (yhat >= 0.5 ? 1 : 0))
        #expect(sample.confidence == min(1, abs(yhat - 0.5) / 1.5))
        sides.insert(sample.class)
      }
    }
    #expect(sides == [0, 1])
    // Top right predicts about 1.8: far along the high end; bottom left the low end.
    #expect(layer.sample(column: 11, row: 0).class == 1 && layer.sample(column: 11, row: 0).confidence > 0.8)
    #expect(layer.sample(column: 0, row: 9).class == 0 && layer.sample(column: 0, row: 9).confidence > 0.9)
  }

  @Test func oneInputIsDrawnAsTheCurveBetweenTwoSides() {
    let bounds = PlotBounds(xMin: -3, xMax: 3, yMin: -1.5, yMax: 1.5)
    let layer = BoundaryLayer(
      network: Self.curve, bounds: bounds, columns: 20, rows: 8, ramp: RegressionRamp(centre: 0, halfRange: 1))
    let grid = PlotGrid(bounds: bounds, columns: 20, rows: 16)
    for column in 0..<20 {
      // Going down a column, above the curve then below it: one change, where y passes tanh(x).
      let classes = (0..<16).map { layer.sample(column: column, row: $0).class }
      let expected = (0..<16).map { grid.y($0) >= tanh(grid.x(column)) ? 1 : 0 }
      #expect(classes == expected)
      #expect(zip(classes, classes.dropFirst()).filter { $0 != $1 }.count == 1)
    }
  }

  @Test func pointsAreColouredByTargetAndTheSineIsPlottedAgainstIt() {
    let data = Dataset(X: Matrix([[-2], [0], [2]]), targets: [-1, 0, 1])
    let ramp = RegressionRamp([data])
    #expect(ramp == RegressionRamp(centre: 0, halfRange: 1))
    let theme = Theme.standard
    let low = theme.point(data, 0, ramp: ramp)
    let middle = theme.point(data, 1, ramp: ramp)
    let high = theme.point(data, 2, ramp: ramp)
    #expect(low.glyph == 0 && low.color == theme.classColor(0))
    #expect(high.glyph == 1 && high.color == theme.classColor(1))
    #expect(middle.color == theme.text.mixed(with: theme.classColor(1), 0.5))
    // The plot spans x and the targets, and each point sits at (x, target).
    let bounds = PlotBounds([data])
    #expect(bounds == PlotBounds(xMin: -2.5, xMax: 2.5, yMin: -1.5, yMax: 1.5))
    var buffer = CellBuffer(width: 27, height: 12)
    BoundaryPlot(
      data: data, layer: nil, bounds: bounds, title: "sine", footer: "", theme: theme, axes: false, ramp: ramp
    ).render(into: &buffer, buffer.bounds)
    let area = BoundaryPlot.plotArea(in: buffer.bounds, axes: false)
    let plot = BoundaryPlot(
      data: data, layer: nil, bounds: bounds, title: "", footer: "", theme: theme, axes: false, ramp: ramp)
    for r in 0..<3 {
      let spot = try! #require(plot.locate(data.X[r, 0], data.targets![r], in: area))
      let cell = buffer[area.x + spot.col, area.y + spot.row]
      #expect(cell.char == theme.glyph(r == 0 ? 0 : 1) && cell.style.fg == theme.point(data, r, ramp: ramp).color)
    }
  }

  static func regressionSnapshot() throws -> Snapshot {
    var setup = RunSetup.post
    setup.task = .regression
    setup.source = .generated(.plane)
    setup.training.epsilon = 0.0005
    setup.testFraction = 0.2
    let trainer = try setup.makeTrainer()
    var history = LossHistory()
    for i in 0..<300 {
      trainer.step()
      history.train.append(i, trainer.loss())
    }
    return Snapshot.finished(trainer: trainer, history: history, settings: Settings(setup: setup))
  }

  @Test func theStatusBarAndTheSVGGiveTheRMSE() throws {
    let snapshot = try Self.regressionSnapshot()
    let rmse = snapshot.measuredNetwork.rmse(on: snapshot.data)
    let testRMSE = snapshot.measuredNetwork.rmse(on: snapshot.test!)
    #expect(snapshot.accuracy == nil && snapshot.rmse == rmse && snapshot.testRMSE == testRMSE)
    var buffer = CellBuffer(width: 80, height: 1)
    StatusBar(snapshot: snapshot, settings: snapshot.settings, theme: .standard).render(into: &buffer, buffer.bounds)
    let line = buffer.text
    #expect(line.contains("RMSE \(String(format: "%.4f", rmse))  test \(String(format: "%.4f", testRMSE))"), "\(line)")
    #expect(!line.contains("acc"))
    let svg = SVGFigure(snapshot: snapshot, settings: snapshot.settings, theme: .standard).render()
    let check = try #require(SVGCheck.parse(Data(svg.utf8)))
    #expect(check.inGroup["regions", default: 0] > 50)
    #expect(check.inGroup["points", default: 0] == snapshot.data.count + snapshot.test!.count)
    #expect(check.texts.contains("RMSE \(String(format: "%.4f", rmse)) · test \(String(format: "%.4f", testRMSE))"))
    #expect(check.texts.contains("task regression"))
    #expect(!check.texts.contains { $0.hasPrefix("accuracy") || $0.hasPrefix("per class") })
  }

  /// The command line leaves out the task's own default gradient: the mean for regression.
  @Test func theCommandLineWritesTheGradientOnlyWhenNotTheTasksDefault() {
    var setup = RunSetup.post
    setup.task = .regression
    setup.source = .generated(.gauss)
    setup.training.gradient = .mean
    #expect(Settings(setup: setup).commandLine == "descent --dataset gauss --task regression")
    setup.training.gradient = .sum
    #expect(Settings(setup: setup).commandLine == "descent --dataset gauss --task regression --gradient sum")
    #expect(LearningTask.classification.defaultGradient == .sum)
  }

  @Test func clicksAndTheBaselineSayWhyNotInARegression() throws {
    let snapshot = try Self.regressionSnapshot()
    var model = DashboardModel(settings: snapshot.settings, width: 80, height: 24)
    model.snapshot = snapshot
    let area = BoundaryPlot.plotArea(in: model.layout.plot)
    #expect(model.handle(.click(x: area.x + 3, y: area.y + 3)).isEmpty)
    #expect(model.message?.contains("real targets") == true && model.settings.edits == 0)
    #expect(model.handle(.toggleBaseline).isEmpty && !model.showBaseline)
  }
}
