import Dispatch
import Foundation
import Testing

@testable import Dashboard
@testable import DescentCore

/// Issue 14, part 3: the hidden space (`h`), the unit maps (`u`) and the network view's weights
/// (`W`) are worked out by the trainer, like the regions, and posted in its snapshots; the screen
/// draws them and never works out a live run's figure itself.
@Suite("Side views' figures worked out by the trainer", .serialized)
struct FiguresTests {
  /// A live snapshot as the screen would get it before the trainer has answered.
  static func waitingSnapshot() -> Snapshot {
    var snapshot = WidgetTests.snapshot()
    snapshot.figuresFromTrainer = true
    return snapshot
  }

  /// What the trainer posts is what the screen drew when it worked the figure out itself, to the
  /// cell (colours included), for each view at both sizes.
  @Test(arguments: [ViewMode.hidden, .units, .network])
  func theTrainersFigureDrawsTheScreensFrame(_ view: ViewMode) throws {
    var settings = SessionTests.settings()
    settings.passes = 300
    settings.setup.hidden = 5
    settings.setup.layers = 2
    let session = try SessionTests.start(settings)
    defer { session.stop() }
    let done = try #require(SessionTests.waitFor(session) { $0.state == .done })
    for (width, height) in [(80, 24), (160, 48)] {
      var model = DashboardModel(settings: settings, width: width, height: height)
      _ = model.show(view)
      var asking = Screen()
      model.snapshot = done
      #expect(asking.render(model).text.contains("working out") == (view != .network))
      let request = try #require(asking.figureRequest)
      let size = try #require(asking.regionSizes.main)
      session.showRegions(size)
      session.showFigure(request)
      let posted = try #require(
        SessionTests.waitFor(session) { $0.figure?.request == request && $0.regions?.columns == size.columns })
      #expect(posted.figuresFromTrainer)
      model.snapshot = posted
      var fromTrainer = Screen()
      let drawn = fromTrainer.render(model)
      var own = posted
      (own.figuresFromTrainer, own.figure, own.regions) = (false, nil, nil)
      model.snapshot = own
      var here = Screen()
      let same = drawn == here.render(model)
      #expect(same, "\(view) at \(width)x\(height)")
      #expect(!drawn.text.contains("working out"))
    }
  }

  /// Until the trainer answers, each view says it is working and draws nothing of the figure:
  /// the screen did not work it out.
  @Test func theScreenNeverWorksOutALiveRunsFigure() throws {
    for (view, what, request) in [
      (ViewMode.hidden, "the hidden space", FigureRequest.hiddenSpace(layer: 0, a: 0, b: 1, columns: 34, rows: 13)),
      (.units, "the units' maps", .unitMaps(units: 3, columns: 16, samples: 10)),
      (.network, "", .weights),
    ] {
      var model = DashboardModel(settings: Settings(), width: 80, height: 24)
      model.snapshot = Self.waitingSnapshot()
      _ = model.show(view)
      var screen = Screen()
      let waiting = screen.render(model)
      #expect(screen.figureRequest == request, "\(view)")
      let side = (44..<79).flatMap { x in (1..<14).map { waiting[x, $0].char.value } }
      #expect(!side.contains { (0x2801...0x28FF).contains($0) || $0 == 0x2580 }, "\(view) drew a figure")
      if !what.isEmpty { #expect(waiting.text.contains("working out \(what)")) }
      // The same snapshot, finished (not live), is drawn whole.
      var finished = model.snapshot!
      finished.figuresFromTrainer = false
      model.snapshot = finished
      var own = Screen()
      let side2 = own.render(model)
      let drawn = (44..<79).flatMap { x in (1..<14).map { side2[x, $0].char.value } }
      #expect(drawn.contains { (0x2801...0x28FF).contains($0) || $0 == 0x2580 }, "\(view) not drawn")
    }
  }

  /// A wide network on many points in the in-process loop: while the trainer works out each view,
  /// frames keep coming, and each view is drawn once its figure comes. The hidden space of 30,000
  /// points through 256 x 3 units takes about 0.4 s here (tens of seconds on a machine busy with
  /// the other tests): a frame that waited for it would take most of that.
  @Test func framesDoNotWaitForALargeNetworksFigures() throws {
    var options = DashboardOptions(settings: Settings())
    options.settings.setup.samples = 30_000
    options.settings.setup.hidden = 256
    options.settings.setup.layers = 3
    options.settings.setup.training.gradient = .mean
    options.paused = true
    let (train, test) = try options.settings.setup.loadData()
    func braille(_ frame: CellBuffer) -> Bool { frame.cells.contains { (0x2801...0x28FF).contains($0.char.value) } }
    let backend = TestBackend(
      width: 80, height: 24,
      script: [
        .on("knobs", press: .char("h")),
        .init(when: { $0.text.contains("hidden space L1") && !$0.text.contains("working out") }, key: .char("u")),
        .on("unit 1", press: .char("W")),
        .init(when: { $0.text.contains("network 2-256-256-256-2") && braille($0) }, key: .char("q")),
      ])
    let loop = RunLoop(options: options, backend: backend, train: train, test: test)
    let (_, outcome) = try loop.loop()
    #expect(backend.stuck == nil, "\(backend.stuck ?? "")")
    let figure = try #require(
      backend.milliseconds(
        from: { $0.text.contains("working out") },
        to: { $0.text.contains("hidden space L1") && !$0.text.contains("working out") }))
    let slowest = outcome.frameTimes.max() ?? 0
    #expect(slowest < figure / 4, "the slowest frame took \(slowest) ms, the hidden space \(figure) ms")
  }

  /// Two units of a layer over more points than one block: the columns of the whole layer's
  /// activations, to the bit.
  @Test func twoUnitsAreTheLayersColumns() {
    let network = Network(sizes: [2, 7, 5, 2], seed: 3)
    let data = Dataset.generate(.moons, samples: 1_300, seed: 1)
    for layer in 0..<2 {
      let whole = network.hiddenActivations(data.X, layer: layer)
      let two = network.hiddenActivations(data.X, layer: layer, units: [4, 1])
      #expect(two.rows == data.count && two.cols == 2)
      #expect((0..<data.count).allSatisfy { two[$0, 0] == whole[$0, 4] && two[$0, 1] == whole[$0, 1] })
    }
  }
}
