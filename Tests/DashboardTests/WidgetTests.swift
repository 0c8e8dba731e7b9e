import DescentCore
import Testing

@testable import Dashboard

@Suite("Widgets render into the buffer")
struct WidgetTests {
  @Test func knobPanel() {
    var buffer = CellBuffer(width: 40, height: 7)
    var settings = Settings()
    settings.set(.epsilon, 0.05)
    KnobPanel(settings: settings, focus: .epsilon, theme: .standard).render(into: &buffer, buffer.bounds)
    let expected = """
      ╭ knobs 1/3 [ ] ───────────────────────╮
      │   hidden     ━●─────────────        3│
      │ ▸ epsilon    ━━━━━━━━━●─────     0.05│
      │   lambda     ━━━━━━━●───────     0.01│
      │   redraw     ━━━━━━━●───────   100 it│
      │   speed      ━━━━━━━━●──────   1.0k/s│
      ╰──────────────────────────────────────╯
      """
    #expect(buffer.text == expected)
    #expect(buffer[4, 2].style.fg == Theme.standard.focus)
    #expect(buffer[4, 1].style.fg == Theme.standard.text)
  }

  @Test func tooSmallSaysHowBigToMakeIt() {
    var screen = Screen()
    let buffer = screen.render(DashboardModel(settings: Settings(), width: 40, height: 10))
    #expect(buffer.text.contains("descent needs at least 60x17"))
    #expect(buffer.text.contains("this window is 40x10"))
  }

  @Test func layoutUsesTheSpace() {
    let small = Layout(width: 80, height: 24)
    #expect(!small.isTooSmall)
    #expect(small.plot == Rect(x: 0, y: 0, width: 44, height: 23))
    #expect(small.loss == Rect(x: 44, y: 0, width: 36, height: 16))
    #expect(small.knobs == Rect(x: 44, y: 16, width: 36, height: 7))
    let big = Layout(width: 200, height: 60)
    #expect(big.plot.width == 110 && big.loss.height == 52)
    #expect(Layout(width: 59, height: 24).isTooSmall && Layout(width: 80, height: 16).isTooSmall)
  }

  /// A network whose boundary is the vertical line x = 0: class 1 to the right.
  static let splitAtZero = Network(
    layers: [Layer(W: Matrix([[-5, 5], [0, 0]]), b: [0, 0])], activation: .tanh)

  @Test func boundaryRegionsAndPoints() {
    // A softmax straight on the inputs: no hidden layer is needed to test the drawing.
    let data = Dataset(X: Matrix([[-1, 0], [1, 0]]), y: [0, 1])
    let bounds = PlotBounds(xMin: -2, xMax: 2, yMin: -1, yMax: 1)
    var buffer = CellBuffer(width: 16, height: 6)
    let area = BoundaryPlot.plotArea(in: buffer.bounds)
    #expect(area == Rect(x: 6, y: 1, width: 9, height: 3))
    let layer = BoundaryLayer(network: Self.splitAtZero, bounds: bounds, columns: area.width, rows: area.height)
    let plot = BoundaryPlot(
      data: data, test: nil, layer: layer, bounds: bounds, title: "t", footer: "", theme: .standard)
    plot.render(into: &buffer, buffer.bounds)
    let expected = """
      ╭ t ───────────╮
      │ 1.0┤▀▀▀▀▀▀▀▀▀│
      │ 0.0┤▀▀●▀▀▀▲▀▀│
      │-1.0┤▀▀▀▀▀▀▀▀▀│
      │    -2.0   2.0│
      ╰──────────────╯
      """
    #expect(buffer.text == expected)
    let theme = Theme.standard
    // Confident left and right, a coin toss in the middle column.
    #expect(buffer[6, 1].style.fg == theme.regionColor(0))
    #expect(buffer[14, 1].style.bg == theme.regionColor(1))
    #expect(buffer[10, 1].style.fg == theme.uncertain)
    #expect(buffer[8, 2].style.fg == theme.classColor(0))
    #expect(buffer[12, 2].style.fg == theme.classColor(1))
  }

  @Test func statusBarStates() {
    var buffer = CellBuffer(width: 80, height: 1)
    var snapshot = Self.snapshot()
    snapshot.state = .diverged(at: 12)
    StatusBar(snapshot: snapshot, settings: Settings(), theme: .standard).render(into: &buffer, buffer.bounds)
    #expect(buffer.text.hasPrefix(" it 12  loss –  acc –  ✖ diverged at it 12: r resets"))
    snapshot.state = .paused
    snapshot.loss = 0.0708
    snapshot.accuracy = 0.975
    StatusBar(snapshot: snapshot, settings: Settings(), theme: .standard).render(into: &buffer, buffer.bounds)
    #expect(buffer.text == " it 12  loss 0.0708  acc 97.5%  ❚❚ paused                        ? help  q quit")
  }

  @Test func aStatusMessageTooLongForTheWindowEndsInAnEllipsis() {
    var buffer = CellBuffer(width: 40, height: 1)
    var bar = StatusBar(snapshot: Self.snapshot(), settings: Settings(), theme: .standard)
    bar.message = "exported to descent-export-20261126-134329/ (boundary.svg, model.json)"
    bar.render(into: &buffer, buffer.bounds)
    #expect(buffer.text == " exported to descent-export-20261126-13…")
    bar.message = "theme light"
    bar.render(into: &buffer, buffer.bounds)
    #expect(buffer.text == " theme light")
  }

  @Test func lossChartDrawsBrailleAndMarkers() {
    var snapshot = Self.snapshot()
    for i in 0..<500 { snapshot.history.train.append(i, 0.7 * exp(-Double(i) / 100) + 0.07) }
    snapshot.history.mark(250, "ε 0.02")
    var buffer = CellBuffer(width: 36, height: 12)
    LossChart(history: snapshot.history, logScale: true, current: 0.0712, theme: .standard)
      .render(into: &buffer, buffer.bounds)
    let text = buffer.text
    #expect(text.hasPrefix("╭ loss 0.071200 · log ─"))
    #expect(text.contains("ε 0.02"))
    #expect(text.unicodeScalars.contains { $0.value >= 0x2801 && $0.value <= 0x28FF })
    #expect(buffer.row(10).contains("499 it"))
    let markerColumn = (0..<36).filter { x in (1..<10).contains { buffer[x, $0].style.fg == Theme.standard.marker } }
    #expect(!markerColumn.isEmpty)
  }

  /// A linear loss axis pads around the data but never reads below zero; a log axis pads freely.
  @Test func aLinearLossAxisStopsAtZero() {
    let linear = Scale(low: 0.06, high: 12.3, log: false)
    #expect(linear.low == 0 && linear.high > 12.3)
    #expect(Scale(low: 0.5, high: 0.7, log: false).low > 0.48)
    #expect(Scale(low: -1, high: 1, log: false).low < -1)
    #expect(Scale(low: 0.06, high: 12.3, log: true).low < Foundation.log10(0.06))
  }

  @Test func helpListsEveryKey() {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    model.showHelp = true
    var screen = Screen()
    let text = screen.render(model).text
    for row in KeyMap.help { #expect(text.contains(row.keys) && text.contains(row.does), "\(row.keys)") }
  }

  static func snapshot() -> Snapshot {
    let data = Dataset.generate(.moons, samples: 20, seed: 0)
    return Snapshot(
      run: 0, iteration: 12, totalIterations: 12, state: .running, settings: Settings(), loss: nil, accuracy: nil,
      measuredNetwork: Network(sizes: [2, 3, 2], seed: 0), lossLambda: 0.01,
      testLoss: nil, testAccuracy: nil, iterationsPerSecond: 0, history: LossHistory(),
      boundaryNetwork: Network(sizes: [2, 3, 2], seed: 0), boundaryIteration: 0, data: data, test: nil,
      bounds: PlotBounds([data]))
  }
}

import Foundation

@Suite("Help")
struct HelpTests {
  @Test func theCommandLineIsShownWholeEvenWhenLong() {
    var settings = Settings()
    settings.setup.source = .generated(.spiral)
    settings.setup.classes = 3
    settings.setup.testFraction = 0.2
    settings.setup.hidden = 20
    settings.setup.training.epsilon = 0.5
    settings.setup.training.gradient = .mean
    settings.speed = .infinity
    var model = DashboardModel(settings: settings, width: 80, height: 24)
    model.showHelp = true
    var screen = Screen()
    let text = screen.render(model).text
    // Only what is inside the help box.
    let lines = text.split(separator: "\n").map { Array($0) }
    let top = lines.first { String($0).contains("╭ keys") }!
    let (left, right) = (top.firstIndex(of: "╭")!, top.lastIndex(of: "╮")!)
    let shown = lines.map {
      String($0[min(left + 1, $0.count)..<min(right, $0.count)]).trimmingCharacters(in: .whitespaces)
    }
    let joined = shown.filter { $0.hasPrefix("descent") || $0.hasPrefix("--") }.joined(separator: " ")
    #expect(joined == settings.commandLine)
    #expect(text.contains("pause / resume") && text.contains("quit"))
  }
}
