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
      ╭ knobs 1/4 [ ] ───────────────────────╮
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

  /// At the narrowest terminal (60 columns) the panel is 27 wide: the values stay inside the
  /// border, with a track of two cells; one column less and there is no track.
  @Test func knobPanelAtTheNarrowestTerminal() {
    let model = DashboardModel(settings: Settings(), width: Layout.minWidth, height: 20)
    #expect(model.layout.knobs.width == 27)
    var buffer = CellBuffer(width: 27, height: 7)
    KnobPanel(settings: Settings(), focus: .epsilon, theme: .standard).render(into: &buffer, buffer.bounds)
    let expected = """
      ╭ knobs 1/4 ──────────────╮
      │   hidden     ●─        3│
      │ ▸ epsilon    ━●     0.01│
      │   lambda     ━●     0.01│
      │   redraw     ━●   100 it│
      │   speed      ━●   1.0k/s│
      ╰─────────────────────────╯
      """
    #expect(buffer.text == expected)
    var narrower = CellBuffer(width: 25, height: 3)
    KnobPanel(settings: Settings(), focus: .hidden, theme: .standard, knobs: [.hidden])
      .render(into: &narrower, narrower.bounds)
    #expect(narrower.row(1) == "│ ▸ hidden             3│")
  }

  /// Without a UTF-8 locale the status names the variable that decides it: LC_ALL overrides
  /// LC_CTYPE, which overrides LANG.
  @Test func theLocaleHintNamesTheVariableThatDecides() {
    #expect(Glyphs.localeHint(environment: ["LANG": "C"]).hasSuffix("; LANG=C.UTF-8 shows the full picture"))
    #expect(Glyphs.localeHint(environment: [:]).contains("LANG=C.UTF-8"))
    #expect(Glyphs.localeHint(environment: ["LC_ALL": "C", "LANG": "C.UTF-8"]).contains("; LC_ALL=C.UTF-8"))
    #expect(Glyphs.localeHint(environment: ["LC_CTYPE": "POSIX", "LANG": "C.UTF-8"]).contains("; LC_CTYPE=C.UTF-8"))
    #expect(Glyphs.localeHint(environment: ["LC_ALL": "", "LANG": "C"]).contains("; LANG=C.UTF-8"))
  }

  /// Paces and counts keep one width across a unit's edge: 999.6 is 1.0k, 9,996 is 10k.
  @Test func compactNumbersRoundBeforeChoosingTheirUnit() {
    let cases: [(Double, String)] = [
      (0, "0"), (999.4, "999"), (999.6, "1.0k"), (1_049, "1.0k"), (9_949, "9.9k"), (9_996, "10k"),
      (45_200, "45k"), (999_400, "999k"), (999_600, "1.0M"), (9_960_000, "10M"), (12_345_678, "12M"),
    ]
    for (value, text) in cases { #expect(compact(value) == text, "\(value)") }
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
    #expect(small.loss == Rect(x: 44, y: 0, width: 36, height: 15))
    #expect(small.knobs == Rect(x: 44, y: 15, width: 36, height: 8))
    let big = Layout(width: 200, height: 60)
    #expect(big.plot.width == 110 && big.loss.height == 51)
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
    // 12 updates done: the post's iteration 11 (its numbering starts at 0 after the first update).
    #expect(buffer.text.hasPrefix(" it 11  loss –  acc –  ✖ diverged at it 12: r resets"))
    snapshot.state = .paused
    snapshot.loss = 0.0708
    snapshot.accuracy = 0.975
    StatusBar(snapshot: snapshot, settings: Settings(), theme: .standard).render(into: &buffer, buffer.bounds)
    #expect(buffer.text == " it 11  loss 0.0708  acc 97.5%  ❚❚ paused                        ? help  q quit")
  }

  @Test func aStatusMessageTooLongForTheWindowEndsInAnEllipsis() {
    var buffer = CellBuffer(width: 40, height: 1)
    var bar = StatusBar(snapshot: Self.snapshot(), settings: Settings(), theme: .standard)
    bar.message = Message(
      text: "exported to descent-export-20261126-134329/ (boundary.svg, model.json)", kind: .done, since: 0)
    bar.render(into: &buffer, buffer.bounds)
    #expect(buffer.text == " exported to descent-export-20261126-13…")
    bar.message = Message(text: "theme light", kind: .information, since: 0)
    bar.render(into: &buffer, buffer.bounds)
    #expect(buffer.text == " theme light")
  }

  @Test func statusMessagesAreColouredByKindAndCutAtTheLastColumn() {
    let theme = Theme.standard
    var buffer = CellBuffer(width: 30, height: 1)
    var bar = StatusBar(snapshot: Self.snapshot(), settings: Settings(), theme: theme)
    for (kind, color) in [(Message.Kind.done, theme.done), (.error, theme.diverged), (.information, theme.text)] {
      bar.message = Message(text: "a message long enough to be cut at thirty columns", kind: kind, since: 0)
      bar.render(into: &buffer, buffer.bounds)
      #expect(buffer[1, 0].style.fg == color, "\(kind)")
      // The ellipsis in the last column: the terminal writes the bottom-right cell too.
      #expect(buffer.text == " a message long enough to be…")
    }
  }

  @Test func lossChartDrawsBrailleAndMarkers() {
    var snapshot = Self.snapshot()
    for i in 0..<500 { snapshot.history.train.append(i, 0.7 * exp(-Double(i) / 100) + 0.07) }
    snapshot.history.mark(250, "ε 0.02")
    var buffer = CellBuffer(width: 36, height: 12)
    LossChart(history: snapshot.history, logScale: true, current: 0.0712, theme: .standard)
      .render(into: &buffer, buffer.bounds)
    let text = buffer.text
    #expect(text.hasPrefix("╭ loss 0.071200 · log · run ─"))
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
    // The help box's own corners (at 80x24 its top row can be the screen's, beside the panels').
    let left = top.indices.first { String(top[$0...].prefix(6)) == "╭ keys" }!
    let right = top[left...].firstIndex(of: "╮")!
    let shown = lines.map {
      String($0[min(left + 1, $0.count)..<min(right, $0.count)]).trimmingCharacters(in: .whitespaces)
    }
    let joined = shown.filter { $0.hasPrefix("descent") || $0.hasPrefix("--") }.joined(separator: " ")
    #expect(joined == settings.commandLine)
    #expect(text.contains("pause / resume") && text.contains("quit"))
  }
}

@Suite("ASCII for a terminal without a UTF-8 locale")
struct GlyphTests {
  @Test func everyCharacterTheDashboardDrawsHasAnASCIIStandIn() {
    // Every non-ASCII character in the sources and themes has its own stand-in (not "?").
    for scalar in "°·ελ–—…←↑→↓⇧∘━▀░▒▓■□▲△▶▸◆◇○●★☆✖✚✛❚".unicodeScalars {
      #expect(Glyphs.ascii(scalar) != .char(UInt8(ascii: "?")), "\(scalar)")
    }
    for (scalar, line) in [("─", Glyphs.Line.horizontal), ("│", .vertical), ("╭", .topLeft), ("┤", .rightTee)] {
      #expect(Glyphs.ascii(Unicode.Scalar(scalar)!) == .line(line))
    }
  }

  @Test func classGlyphsStayDistinct() {
    let glyphs = Theme.standard.glyphs.map { Glyphs.ascii($0) }
    let hollow = Theme.standard.glyphs.map { Glyphs.ascii(BoundaryPlot.hollow($0)) }
    #expect(Set(glyphs.map { "\($0)" }).count == 6 && Set(hollow.map { "\($0)" }).count == 6)
    #expect(Set(glyphs.map { "\($0)" }).isDisjoint(with: hollow.map { "\($0)" }))
  }

  @Test func theLossLineKeepsItsShape() {
    #expect(Glyphs.braille(0x47) == UInt8(ascii: "|"))  // ⡇ the left column, all four rows
    #expect(Glyphs.braille(0x09) == UInt8(ascii: "'"))  // ⠉ the top row
    #expect(Glyphs.braille(0xC0) == UInt8(ascii: "."))  // ⣀ the bottom row
    #expect(Glyphs.braille(0x12) == UInt8(ascii: "-"))  // ⠒ the second row
    #expect(Glyphs.braille(0) == UInt8(ascii: " "))
  }
}

@Suite("The loss chart's windows and lines")
struct LossChartTests {
  /// The columns of the chart's plotting area that hold a braille cell of `color`.
  static func columns(_ buffer: CellBuffer, _ color: RGB) -> Set<Int> {
    var found: Set<Int> = []
    for y in 0..<buffer.height {
      for x in 0..<buffer.width
      where buffer[x, y].style.fg == color && buffer[x, y].char.value >= 0x2800
        && buffer[x, y].char.value <= 0x28FF
      {
        found.insert(x)
      }
    }
    return found
  }

  /// Part 6: a diverging loss (2.8e26, then overflowing) gets tick labels that fit the gutter's six
  /// columns, whole, beside the axis (they read 2.8e+2┤6 and inf┤ before).
  @Test(arguments: [false, true])
  func ticksOfADivergingLossFitTheGutter(logScale: Bool) {
    var history = LossHistory()
    for (i, loss) in [0.00031, 0.4, 2.8e26, 5.7e16, .infinity].enumerated() { history.train.append(i, loss) }
    var buffer = CellBuffer(width: 40, height: 14)
    LossChart(history: history, logScale: logScale, current: .infinity, theme: .standard, window: .session)
      .render(into: &buffer, buffer.bounds)
    let rows = buffer.text.split(separator: "\n").map { Array($0) }
    // The gutter: the border, six columns of label, the axis.
    let ticks = rows.filter { $0.count > 7 && $0[7] == "┤" }
    #expect(ticks.count == 3, "\(buffer.text)")
    for row in ticks {
      let label = String(row[1..<7]).trimmingCharacters(in: .whitespaces)
      #expect(label.count <= 6 && !label.contains("inf") && !label.contains("nan"), "\(String(row))")
      #expect(!label.isEmpty, "\(String(row))")
    }
    // The top tick is the largest finite loss, whole (2.8e26, not 2.8e+2 cut by the axis).
    let top = ticks.first.map { String($0[1..<7]).trimmingCharacters(in: .whitespaces) } ?? ""
    #expect((Double(top) ?? 0) > 1e26, "\(buffer.text)")
    for value in [2.8e26, 5.7e16, 3.1e-4, 1234.5, 0.068947, -.infinity, .nan] {
      #expect(LossChart.label(value).count <= 6, "\(value)")
    }
    #expect(!buffer.text.contains("inf") && !buffer.text.contains("nan"), "\(buffer.text)")
  }

  @Test func aSparseTestLossIsALine() {
    var history = LossHistory()
    for i in 0..<2000 {
      history.train.append(i, 0.5 * exp(-Double(i) / 300) + 0.05)
      if i % 100 == 0 { history.test.append(i, 0.5 * exp(-Double(i) / 300) + 0.4) }
    }
    var buffer = CellBuffer(width: 40, height: 14)
    let theme = Theme.standard
    LossChart(history: history, logScale: false, current: 0.05, theme: theme, window: .session)
      .render(into: &buffer, buffer.bounds)
    // Every column from the first measurement to the last (19 of them over 2,000 iterations).
    let test = Self.columns(buffer, theme.testLoss)
    // (Unjoined, one column a measurement: 20.)
    #expect(test.count >= 28, "the test loss in \(test.count) columns:\n\(buffer.text)")
  }

  @Test func theRunWindowGivesTheLearningMostOfTheWidth() {
    var history = LossHistory()
    for i in 0..<20000 { history.train.append(i, i < 1000 ? 0.5 - 0.4 * Double(i) / 1000 : 0.1) }
    var buffer = CellBuffer(width: 40, height: 14)
    let theme = Theme.standard
    // Where the loss is still falling (above 0.11): on a straight axis the first column or two.
    func fallingColumns(_ window: LossWindow) -> Int {
      LossChart(history: history, logScale: false, current: 0.1, theme: theme, window: window)
        .render(into: &buffer, buffer.bounds)
      let bottomRows = (1..<buffer.height - 3)  // rows above the lowest plotted row
      return Set(
        bottomRows.flatMap { y in
          (8..<39).filter { buffer[$0, y].char.value > 0x2800 && buffer[$0, y].char.value <= 0x28FF && y < 9 }
        }
      ).count
    }
    #expect(fallingColumns(.session) <= 2)
    #expect(fallingColumns(.run) >= 15)
  }

  /// A run restarted while paused has no point yet: the run and recent windows wait for its first
  /// instead of showing the last run's last points (on an axis from 1k to 0 to 1k, for the run).
  @Test func aRestartedRunsChartWaitsForItsOwnPoints() {
    var history = LossHistory()
    for i in 0..<1000 { history.train.append(i, 0.3 - 0.0002 * Double(i)) }
    history.runStart = 1001
    history.mark(1001, "reset")
    var buffer = CellBuffer(width: 40, height: 14)
    LossChart(history: history, logScale: true, current: 0.58, theme: .standard).render(into: &buffer, buffer.bounds)
    #expect(buffer.text.contains("waiting for the first iteration"), "\(buffer.text)")
    #expect(!buffer.text.contains("1k"), "\(buffer.text)")
    // The recent window too: the last run's last iterations are not this run's loss.
    LossChart(history: history, logScale: false, current: 0.58, theme: .standard, window: .recent)
      .render(into: &buffer, buffer.bounds)
    #expect(buffer.text.contains("waiting for the first iteration"), "\(buffer.text)")
    // In the narrowest terminal's panel (27 columns), shorter words, whole.
    var narrow = CellBuffer(width: 27, height: 14)
    LossChart(history: history, logScale: true, current: 0.58, theme: .standard).render(into: &narrow, narrow.bounds)
    #expect(narrow.text.contains("no iteration yet"), "\(narrow.text)")
    // Its first points, on their own axis from 0.
    for i in 1001...1003 { history.train.append(i, 0.58 - 0.01 * Double(i - 1001)) }
    LossChart(history: history, logScale: true, current: 0.56, theme: .standard).render(into: &buffer, buffer.bounds)
    #expect(buffer.row(12).contains("0") && buffer.row(12).contains("2 it"), "\(buffer.text)")
    #expect(!buffer.text.contains("1k") && !buffer.text.contains("0.1"), "\(buffer.text)")
  }

  @Test func theRecentWindowShowsTheLastIterations() {
    var history = LossHistory()
    for i in 0..<20000 { history.train.append(i, 0.07 + (i % 2 == 0 ? 0.0003 : 0)) }
    var buffer = CellBuffer(width: 50, height: 14)
    LossChart(history: history, logScale: false, current: 0.07, theme: .standard, window: .recent)
      .render(into: &buffer, buffer.bounds)
    #expect(buffer.text.contains("19k") && buffer.text.contains("20k it") && buffer.text.contains("· recent"))
  }
}
