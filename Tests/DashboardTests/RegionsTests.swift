import Dispatch
import Foundation
import Testing

@testable import Dashboard
@testable import DescentCore

/// Issue 14, part 3: the decision regions are the trainer's work, posted in its snapshots; the
/// screen draws them and never works out a live run's regions itself.
@Suite("Regions worked out by the trainer", .serialized)
struct RegionsTests {
  /// The plot area of an 80x24 dashboard.
  static func plotArea() -> Rect {
    BoundaryPlot.plotArea(in: DashboardModel(settings: Settings(), width: 80, height: 24).layout.plot)
  }

  @Test func theTrainerPostsTheRegionsForTheSizeAsked() throws {
    var settings = SessionTests.settings()
    settings.passes = 300
    let session = try SessionTests.start(settings)
    defer { session.stop() }
    let area = Self.plotArea()
    session.showRegions(RegionSize(columns: area.width, rows: area.height))
    let done = try #require(SessionTests.waitFor(session) { $0.state == .done && $0.regions != nil })
    let expected = BoundaryLayer(
      network: done.boundaryNetwork, bounds: done.bounds, columns: area.width, rows: area.height)
    #expect(done.regions == expected)
    #expect(done.figuresFromTrainer)
    // Another size is worked out and posted without any other change.
    session.showRegions(RegionSize(columns: 30, rows: 10))
    let resized = try #require(SessionTests.waitFor(session) { $0.regions?.columns == 30 })
    #expect(resized.regions == BoundaryLayer(network: done.boundaryNetwork, bounds: done.bounds, columns: 30, rows: 10))
  }

  /// The frame drawn from the trainer's regions is the frame the screen drew when it worked them
  /// out itself; without them (a large network still being worked on) the plot has no regions
  /// yet, and the screen did not work them out.
  @Test func theScreenDrawsTheTrainersRegionsAndNeverItsOwn() {
    let area = Self.plotArea()
    var model = DashboardModel(settings: Settings(), width: 80, height: 24)
    let own = WidgetTests.snapshot()
    model.snapshot = own
    var screen = Screen()
    let drawnHere = screen.render(model)
    #expect(screen.regionSizes.main == RegionSize(columns: area.width, rows: area.height))

    var live = own
    live.figuresFromTrainer = true
    live.regions = BoundaryLayer(
      network: own.boundaryNetwork, bounds: own.bounds, columns: area.width, rows: area.height)
    live.points = PointCells(data: own.data, test: nil, bounds: own.bounds, columns: area.width, rows: area.height)
    model.snapshot = live
    var fresh = Screen()
    #expect(fresh.render(model) == drawnHere)

    (live.regions, live.points) = (nil, nil)
    model.snapshot = live
    var waiting = Screen()
    let frame = waiting.render(model)
    func plotted(_ buffer: CellBuffer) -> [Unicode.Scalar] {
      (area.x..<area.maxX).flatMap { x in (area.y..<area.maxY).map { buffer[x, $0].char } }
    }
    #expect(plotted(drawnHere).contains("▀"))
    #expect(!frame.text.contains("▀"), "the screen worked out the regions itself")
    // The points the trainer posts are the ones drawn: here those of the first three points only.
    live.regions = BoundaryLayer(
      network: own.boundaryNetwork, bounds: own.bounds, columns: area.width, rows: area.height)
    live.points = PointCells(
      data: own.data.subset([0, 1, 2]), test: nil, bounds: own.bounds, columns: area.width, rows: area.height)
    model.snapshot = live
    var three = Screen()
    let glyphs = plotted(three.render(model)).filter { "●▲".unicodeScalars.contains($0) }
    #expect(glyphs.count == 3 && plotted(drawnHere).filter { "●▲".unicodeScalars.contains($0) }.count > 3)
  }

  /// Quitting waits for a step that outlasts it once, not once per stop on the way out.
  @Test func aSessionBusyWithAHugeStepIsLeftAtOnce() throws {
    var settings = SessionTests.settings()
    settings.setup.hidden = 1024
    settings.setup.layers = 8
    // Steps of about a second here (40 points took 0.2 s on a quiet machine: too close to the wait).
    settings.setup.samples = 160
    let session = try SessionTests.start(settings)
    usleep(100_000)
    let start = DispatchTime.now().uptimeNanoseconds
    #expect(!session.stop())
    #expect(!session.stop())
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    #expect(seconds < 0.35, "stopping took \(seconds) s")
  }

  /// The points one a cell, as the trainer works them out, draw the frame that every point drew:
  /// 20,000 training points and 5,000 test points (many to a cell), in the plot and in the sweep's
  /// small panels.
  @Test func thePointsOneACellDrawWhatEveryPointDrew() throws {
    var settings = SessionTests.settings()
    settings.passes = 50
    settings.setup.samples = 25_000
    settings.setup.testFraction = 0.2
    let session = try SessionTests.start(settings)
    defer { session.stop() }
    let done = try #require(SessionTests.waitFor(session) { $0.state == .done })
    for (width, height) in [(80, 24), (160, 48)] {
      var model = DashboardModel(settings: settings, width: width, height: height)
      model.snapshot = done
      var asking = Screen()
      _ = asking.render(model)
      let size = try #require(asking.regionSizes.main)
      session.showRegions(size)
      let posted = try #require(SessionTests.waitFor(session) { $0.points?.columns == size.columns })
      #expect(posted.points!.train.count < 2_000, "one a cell, not 20,000")
      model.snapshot = posted
      var fromTrainer = Screen()
      let drawn = fromTrainer.render(model)
      var own = posted
      (own.figuresFromTrainer, own.regions, own.points) = (false, nil, nil)
      model.snapshot = own
      var here = Screen()
      let same = drawn == here.render(model)
      #expect(same, "\(width)x\(height)")
      #expect(drawn.text.contains("○") && drawn.text.contains("●"))
    }
    // A sweep panel's plot, without axes.
    let area = Rect(x: 1, y: 1, width: 20, height: 8)
    let cells = PointCells(data: done.data, test: done.test, bounds: done.bounds, columns: 20, rows: 8)
    var every = CellBuffer(width: 22, height: 10)
    var few = every
    let plot = BoundaryPlot(
      data: done.data, test: done.test, layer: nil, bounds: done.bounds, title: "", footer: "", theme: .standard,
      axes: false)
    plot.render(into: &every, every.bounds)
    var one = plot
    one.cells = cells
    one.render(into: &few, few.bounds)
    #expect(every == few && BoundaryPlot.plotArea(in: every.bounds, axes: false) == area)
  }
}
