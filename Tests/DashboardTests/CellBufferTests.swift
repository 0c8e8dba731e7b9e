import Testing

@testable import Dashboard

@Suite("Cell buffer")
struct CellBufferTests {
  @Test func textIsClippedNeverOutOfBounds() {
    var buffer = CellBuffer(width: 6, height: 2)
    let end = buffer.put("hello world", x: 2, y: 0, .plain)
    buffer.put("x", x: -1, y: 5, .plain)
    buffer.set(10, 10, "y", .plain)
    #expect(end == 6)
    #expect(buffer.text == "  hell\n")
  }

  @Test func boxWithTitle() {
    var buffer = CellBuffer(width: 12, height: 3)
    buffer.box(buffer.bounds, title: "loss", border: .plain, titleStyle: .plain)
    #expect(buffer.text == "╭ loss ────╮\n│          │\n╰──────────╯")
  }

  /// A title wider than its box ends in an ellipsis and keeps the corner: the network view's
  /// "weights by sign and size" was cut to "weights by sign an╮" at 80 columns.
  @Test func aLongTitleEndsInAnEllipsis() {
    var buffer = CellBuffer(width: 14, height: 2)
    buffer.box(buffer.bounds, title: "network 2-3-2: weights", border: .plain, titleStyle: .plain)
    #expect(buffer.text == "╭ network 2… ╮\n╰────────────╯")
    buffer.box(buffer.bounds, title: "network 23", border: .plain, titleStyle: .plain)
    #expect(buffer.text == "╭ network 23 ╮\n╰────────────╯")
  }
}

@Suite("Braille canvas")
struct BrailleCanvasTests {
  @Test func dotsComposeIntoOneCell() {
    var canvas = BrailleCanvas(columns: 2, rows: 1)
    canvas.set(0, 0, RGB(1, 2, 3))
    canvas.set(1, 3, RGB(1, 2, 3))
    canvas.vertical(2, 0, 3, RGB(1, 2, 3))
    canvas.set(99, 0, RGB(1, 2, 3))
    var buffer = CellBuffer(width: 2, height: 1)
    canvas.draw(into: &buffer, x: 0, y: 0, background: nil)
    #expect(buffer.text == "⢁⡇")
  }
}

@Suite("Colours")
struct ColorTests {
  @Test func hexRoundTrip() {
    #expect(RGB(hex: "#ff875f") == RGB(255, 135, 95))
    #expect(RGB(hex: "#ff875f")?.description == "#ff875f")
    #expect(RGB(hex: "ff875f") == nil)
    #expect(RGB(hex: "#ggg000") == nil)
  }

  @Test func nearestPaletteEntries() {
    #expect(Palette.nearest(RGB(255, 0, 0), among: 256) == 196)
    #expect(Palette.nearest(RGB(255, 135, 95), among: 256) == 209)
    #expect(Palette.nearest(RGB(0x26, 0x26, 0x26), among: 256) == 235)
    #expect(Palette.nearest(RGB(250, 10, 10), among: 16) == 9)
    #expect(Palette.nearest(RGB(200, 0, 0), among: 8) == 1)
    #expect(Palette.nearest(RGB(0, 0, 0), among: 8) == 0)
  }
}

@Suite("Knobs")
struct KnobTests {
  @Test func stepsPeopleExpect() {
    #expect(Knob.hidden.steps.prefix(12) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15])
    #expect(Knob.hidden.steps.last == 256)
    #expect(Knob.epsilon.steps.first == 1e-5 && Knob.epsilon.steps.last == 10)
    #expect(Knob.lambda.steps.first == 0)
  }

  @Test func adjustingMovesAlongTheScale() {
    #expect(Knob.epsilon.stepped(0.01, by: 1) == 0.02)
    #expect(Knob.epsilon.stepped(0.01, by: -1) == 0.005)
    #expect(Knob.epsilon.stepped(0.01, by: 3) == 0.1)
    #expect(Knob.epsilon.stepped(10, by: 1) == 10)
    #expect(Knob.epsilon.stepped(0.03, by: 1) == 0.05)
    #expect(Knob.epsilon.stepped(0.03, by: -1) == 0.02)
    #expect(Knob.lambda.stepped(1e-5, by: -1) == 0)
    #expect(Knob.lambda.stepped(0, by: 1) == 1e-5)
    #expect(Knob.hidden.stepped(3, by: 1) == 4)
    #expect(Knob.hidden.stepped(1, by: -1) == 1)
    #expect(Knob.speed.stepped(100_000, by: 1).isInfinite)
    #expect(Knob.speed.stepped(.infinity, by: -1) == 100_000)
  }

  @Test func formats() {
    #expect(Knob.epsilon.format(0.01) == "0.01")
    #expect(Knob.epsilon.format(0.0005) == "0.0005")
    #expect(Knob.epsilon.format(1e-5) == "1e-05")
    #expect(Knob.lambda.format(0) == "0")
    #expect(Knob.speed.format(.infinity) == "max")
    #expect(Knob.speed.format(20_000) == "20k/s")
    #expect(Knob.redraw.format(100) == "100 it")
  }

  @Test func sliderPositions() {
    #expect(Knob.epsilon.position(1e-5) == 0)
    #expect(Knob.epsilon.position(10) == 1)
    let p = Knob.epsilon.position(0.03)
    #expect(p > Knob.epsilon.position(0.02) && p < Knob.epsilon.position(0.05))
    #expect(Knob.epsilon.value(at: 0) == 1e-5)
    #expect(Knob.epsilon.value(at: 1) == 10)
  }
}

@Suite("Loss history")
struct LossHistoryTests {
  @Test func memoryIsBoundedAndTheBandSurvives() {
    var series = LossSeries(capacity: 64)
    for i in 0..<100_000 { series.append(i, i % 2 == 0 ? 0.070758 : 0.071316) }
    #expect(series.buckets.count <= 64)
    #expect(series.span >= 100_000 / 64)
    #expect(series.buckets.allSatisfy { $0.low == 0.070758 && $0.high == 0.071316 })
    #expect(series.buckets.first?.first == 0 && series.buckets.last?.last == 99_999)
  }

  @Test func nonFiniteLossesAreLeftOut() {
    var series = LossSeries()
    series.append(0, 1)
    series.append(1, .nan)
    series.append(2, .infinity)
    #expect(series.range! == (1, 1))
  }

  @Test func markersAreBounded() {
    var history = LossHistory()
    for i in 0..<200 { history.mark(i, "ε") }
    #expect(history.markers.count == LossHistory.markerLimit)
    #expect(history.markers.last?.iteration == 199)
  }
}
