import DescentCore
import Foundation
import Testing

@testable import Dashboard

@Suite("The network and hidden-space views")
struct PlaygroundViewTests {
  /// A 2-2-2 network with weights chosen by hand: input 1 feeds hidden 1 strongly (+2), hidden 2
  /// weakly and negatively (-0.5); input 2 only hidden 2 (+1); the output layer a mirror.
  static let small = Network(
    layers: [
      Layer(W: Matrix([[2, -0.5], [0, 1]]), b: [0, 0]),
      Layer(W: Matrix([[1, -1], [-1, 1]]), b: [0, 0]),
    ], activation: .tanh)

  @Test func networkViewDrawsUnitsLabelsAndSignedLinks() {
    var buffer = CellBuffer(width: 30, height: 9)
    let theme = Theme.standard
    NetworkView(network: Self.small, theme: theme).figured().render(into: &buffer, buffer.bounds)
    let lines = buffer.text.split(separator: "\n").map(String.init)
    #expect(lines[0].hasPrefix("╭ network 2-2-2 "))
    // Inputs labelled on the left, units on the first and last rows above the row kept for counts.
    #expect(lines[1].hasPrefix("│ x1 ●") && lines[6].hasPrefix("│ x2 ●"))
    let units = lines.map { $0.filter { $0 == "●" }.count }
    #expect(units == [0, 3, 0, 0, 0, 0, 3, 0, 0])
    // The links: input 1 → hidden 1 (+2, the largest) runs along the top row in class 1's colour,
    // full strength; input 2 → hidden 1 (0) is not drawn, so the first gap's only diagonal is
    // input 1 → hidden 2 (-0.5, a quarter of the largest) in class 0's colour, faded.
    let top = (6..<15).map { buffer[$0, 1] }
    #expect(top.allSatisfy { $0.char != " " && $0.style.fg == theme.classColor(1) })
    let faded = (theme.background ?? RGB(0, 0, 0)).mixed(with: theme.classColor(0), 0.25 + 0.75 * 0.25)
    let diagonal = (6..<15).flatMap { x in (2..<6).map { buffer[x, $0] } }.filter { $0.char != " " }
    #expect(!diagonal.isEmpty && diagonal.allSatisfy { $0.style.fg == faded })
    // The output units in their classes' colours.
    #expect(buffer[27, 1].style.fg == theme.classColor(0) && buffer[27, 6].style.fg == theme.classColor(1))
  }

  @Test func networkViewNamesTheFeaturesAndCountsWhatDoesNotFit() {
    var rng = RandomState(seed: 1)
    let network = Network(
      sizes: [3, 12, 2], features: InputFeatures(list: [.x1sq, .x2sq, .sinx1]), rng: &rng)
    var buffer = CellBuffer(width: 34, height: 8)
    NetworkView(network: network, theme: .standard).figured().render(into: &buffer, buffer.bounds)
    let text = buffer.text
    #expect(text.contains("x1² ●") && text.contains("x2² ●") && text.contains("sin x1 ●"))
    #expect(text.contains("+7"), "12 hidden units in 5 rows")
  }

  @Test func hiddenActivationsAreTheForwardPassesLayers() {
    let X = Matrix([[0.5, -1], [2, 0.25]])
    let a1 = Self.small.hiddenActivations(X, layer: 0)
    #expect(a1.storage == [tanh(1), tanh(-0.25 - 1), tanh(4), tanh(-1 + 0.25)])
  }

  /// With W1 the identity, the hidden space is the plane squashed by tanh: a point at (1, -1)
  /// lands at (tanh 1, tanh -1), so the grid's image fills a square and the point sits at its
  /// place in it.
  @Test func hiddenSpacePutsEachPointAtItsActivations() {
    let network = Network(
      layers: [Layer(W: Matrix([[1, 0], [0, 1]]), b: [0, 0]), Layer(W: Matrix([[1, 0], [0, 1]]), b: [0, 0])],
      activation: .tanh)
    let data = Dataset(X: Matrix([[2, 2], [-2, -2]]), y: [0, 1])
    let bounds = PlotBounds(xMin: -2, xMax: 2, yMin: -2, yMax: 2)
    var buffer = CellBuffer(width: 28, height: 10)
    let theme = Theme.standard
    HiddenSpaceView(network: network, data: data, bounds: bounds, theme: theme).figured(in: buffer.bounds).render(
      into: &buffer, buffer.bounds)
    let text = buffer.text
    #expect(text.hasPrefix("╭ hidden space L1 u1,u2 "))
    // (2, 2) is the top right corner of the image, (-2, -2) the bottom left (after 5% padding).
    #expect(buffer[25, 1].char == theme.glyph(0) && buffer[25, 1].style.fg == theme.classColor(0))
    #expect(buffer[2, 8].char == theme.glyph(1) && buffer[2, 8].style.fg == theme.classColor(1))
    let dotted = (1..<27).flatMap { x in (1..<9).map { buffer[x, $0] } }.filter {
      (0x2801...0x28FF).contains($0.char.value)
    }
    #expect(dotted.count > 40 && dotted.allSatisfy { $0.style.fg == theme.dimText })
  }

  /// A regression's points are coloured by their target on the run's ramp, as on the plot.
  @Test func hiddenSpaceColoursRegressionPointsByTarget() {
    let network = Network(
      layers: [Layer(W: Matrix([[1, 0], [0, 1]]), b: [0, 0]), Layer(W: Matrix([[1], [1]]), b: [0])],
      activation: .tanh, task: .regression)
    let data = Dataset(X: Matrix([[2, 2], [-2, -2]]), targets: [1, -1])
    let ramp = RegressionRamp([data])
    var buffer = CellBuffer(width: 28, height: 10)
    let theme = Theme.standard
    HiddenSpaceView(
      network: network, data: data, bounds: PlotBounds(xMin: -2, xMax: 2, yMin: -2, yMax: 2), theme: theme,
      ramp: ramp
    ).figured(in: buffer.bounds).render(into: &buffer, buffer.bounds)
    let (high, highColor) = theme.point(data, 0, ramp: ramp)
    let (low, lowColor) = theme.point(data, 1, ramp: ramp)
    #expect(high != low && highColor != lowColor)
    #expect(buffer[25, 1].char == theme.glyph(high) && buffer[25, 1].style.fg == highColor)
    #expect(buffer[2, 8].char == theme.glyph(low) && buffer[2, 8].style.fg == lowColor)
  }

  @Test func hiddenSpaceNeedsTwoUnits() {
    var buffer = CellBuffer(width: 40, height: 6)
    var rng = RandomState(seed: 0)
    let network = Network(sizes: [2, 1, 2], rng: &rng)
    HiddenSpaceView(
      network: network, data: Dataset(X: Matrix([[0, 0]]), y: [0]),
      bounds: PlotBounds(xMin: 0, xMax: 1, yMin: 0, yMax: 1),
      theme: .standard
    ).render(into: &buffer, buffer.bounds)
    #expect(buffer.text.contains("needs a hidden layer of 2 units"))
  }

  @Test func hStepsThroughThePairsOfUnitsThenLeaves() {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    var snapshot = WidgetTests.snapshot()
    var rng = RandomState(seed: 0)
    snapshot.boundaryNetwork = Network(sizes: [2, 3, 2, 2], rng: &rng)
    model.snapshot = snapshot
    _ = model.handle(.hiddenSpace)
    #expect(model.view == .hidden && model.hiddenLayer == 0 && model.hiddenUnits == (0, 1))
    var seen: [String] = []
    for _ in 0..<3 {
      _ = model.handle(.hiddenSpace)
      seen.append("\(model.hiddenLayer):\(model.hiddenUnits.0),\(model.hiddenUnits.1)")
    }
    #expect(seen == ["0:0,2", "0:1,2", "1:0,1"])
    _ = model.handle(.hiddenSpace)
    #expect(model.view == .boundary && model.hiddenUnits == (0, 1))
    _ = model.handle(.toggleNetwork)
    #expect(model.view == .network)
    _ = model.handle(.toggleNetwork)
    #expect(model.view == .boundary)
  }
}

@Suite("Discretized regions")
struct DiscretizeTests {
  /// With discretize on, every region cell has its class's full colour; off, the cells near the
  /// boundary are mixed toward the uncertain colour.
  @Test func discretizedRegionsAreAtFullStrength() {
    let network = Network(sizes: [2, 3, 2], seed: 0)
    let bounds = PlotBounds(xMin: -2, xMax: 3, yMin: -2, yMax: 2)
    let rect = Rect(x: 0, y: 0, width: 40, height: 14)
    let area = BoundaryPlot.plotArea(in: rect)
    let layer = BoundaryLayer(network: network, bounds: bounds, columns: area.width, rows: area.height)
    let theme = Theme.standard
    func colours(_ discretize: Bool) -> Set<RGB> {
      var buffer = CellBuffer(width: 40, height: 14)
      let data = Dataset(X: Matrix(rows: 0, cols: 2), y: [])
      BoundaryPlot(
        data: data, test: nil, layer: layer, bounds: bounds, title: "t", footer: "", theme: theme,
        discretize: discretize
      ).render(into: &buffer, rect)
      return Set((area.x..<area.maxX).flatMap { x in (area.y..<area.maxY).compactMap { buffer[x, $0].style.fg } })
    }
    #expect(colours(true) == [theme.regionColor(0), theme.regionColor(1)])
    #expect(colours(false).count > 2)
  }

  @Test func zTogglesIt() {
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    _ = model.handle(KeyMap.action(for: .char("z"))!)
    #expect(model.discretize)
    _ = model.handle(.toggleDiscretize)
    #expect(!model.discretize)
  }
}

@Suite("Time left in the status bar")
struct TimeLeftTests {
  @Test func theStatusBarSaysHowLongToPassesWhereThereIsRoom() {
    var snapshot = WidgetTests.snapshot()
    snapshot.iteration = 6000
    snapshot.iterationsPerSecond = 1000
    snapshot.loss = 0.0708
    snapshot.accuracy = 0.975
    var wide = CellBuffer(width: 100, height: 1)
    StatusBar(snapshot: snapshot, settings: Settings(), theme: .standard).render(into: &wide, wide.bounds)
    #expect(wide.text.contains("▶ running  14 s left"), "\(wide.text)")
    #expect(wide.text.hasSuffix("? help  q quit"))
    // At 80 columns the hints keep their place and the time gives way.
    var narrow = CellBuffer(width: 80, height: 1)
    StatusBar(snapshot: snapshot, settings: Settings(), theme: .standard).render(into: &narrow, narrow.bounds)
    #expect(!narrow.text.contains("left") && narrow.text.contains("? help  q quit"))
    snapshot.iteration = 0
    snapshot.iterationsPerSecond = 100
    #expect(StatusBar.timeLeft(snapshot) == "3 min left", "200 s")
    snapshot.state = .paused
    #expect(StatusBar.timeLeft(snapshot) == nil)
  }
}

/// The side views with their figures worked out here, as the trainer works them out for the
/// dashboard (`FigureRequest`).
extension NetworkView {
  func figured() -> Self {
    var view = self
    view.figure = Figure(
      .weights, network: network, data: Dataset(X: Matrix(rows: 0, cols: 2), y: []),
      bounds: PlotBounds(xMin: 0, xMax: 1, yMin: 0, yMax: 1))
    return view
  }
}

extension HiddenSpaceView {
  func figured(in rect: Rect) -> Self {
    var view = self
    view.figure = request(in: rect).flatMap { Figure($0, network: network, data: data, bounds: bounds) }
    return view
  }
}

extension UnitMaps {
  func figured(in rect: Rect) -> Self {
    var maps = self
    let none = Dataset(X: Matrix(rows: 0, cols: 2), y: [])
    maps.figure = request(in: rect).flatMap { Figure($0, network: network, data: none, bounds: bounds) }
    return maps
  }
}
