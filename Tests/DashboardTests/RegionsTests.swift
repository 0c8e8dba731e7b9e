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
    model.snapshot = live
    var fresh = Screen()
    #expect(fresh.render(model) == drawnHere)

    live.regions = nil
    model.snapshot = live
    var waiting = Screen()
    let text = waiting.render(model).text
    #expect(drawnHere.text.contains("▀"))
    #expect(!text.contains("▀"), "the screen worked out the regions itself")
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
}
