import DescentCore
import Foundation

/// Draws the whole dashboard into a cell buffer. Keeps the last decision-region grid so it is
/// worked out again only when the network or the plot's size changes.
public struct Screen {
  public var theme: Theme
  private var cachedLayer: (key: LayerKey, layer: BoundaryLayer)?
  /// The sweep panels' regions, by panel.
  private var sweepLayers: [Int: (key: LayerKey, layer: BoundaryLayer)] = [:]

  private struct LayerKey: Equatable {
    var run: Int
    var iteration: Int
    var area: Rect
    var bounds: PlotBounds
    var data = 0
  }

  /// The last step shown in the code view (its parameters after), to check that walking
  /// through a step lands where the trainer did.
  private var traces: (run: Int, iteration: Int, data: Int, updated: Network, exact: Bool, verified: Bool?)?

  /// The plot sizes the last frame drew regions at (the main plot's, and each sweep panel's), for
  /// the run loop to ask the trainers for.
  public private(set) var regionSizes: (main: RegionSize?, sweep: [RegionSize]) = (nil, [])
  /// What the last frame's side view needed worked out, for the run loop to ask the trainer for.
  public private(set) var figureRequest: FigureRequest?

  public init(theme: Theme = .standard) { self.theme = theme }

  /// The regions to draw for `snapshot` in `area`: the trainer's when it works them out (nil
  /// until it has for this size: the screen never does a large network's work), else worked out
  /// here once and kept in `cache`.
  private static func regions(
    _ snapshot: Snapshot, _ area: Rect, cache: inout (key: LayerKey, layer: BoundaryLayer)?
  ) -> BoundaryLayer? {
    if snapshot.figuresFromTrainer {
      guard let layer = snapshot.regions, layer.columns == area.width, layer.samplesHigh == area.height * 2 else {
        return nil
      }
      return layer
    }
    let key = LayerKey(
      run: snapshot.run, iteration: snapshot.boundaryIteration, area: area, bounds: snapshot.bounds,
      data: snapshot.dataVersion)
    if let cache, cache.key == key { return cache.layer }
    let layer = BoundaryLayer(
      network: snapshot.boundaryNetwork, bounds: snapshot.bounds, columns: area.width, rows: area.height,
      ramp: snapshot.ramp)
    cache = (key, layer)
    return layer
  }

  /// The figure to draw for `snapshot`'s side view: the trainer's when it works them out (nil
  /// until it has answered `request`), else worked out here (a finished run's snapshot).
  private mutating func figure(_ request: FigureRequest?, _ snapshot: Snapshot) -> Figure? {
    figureRequest = request
    guard let request else { return nil }
    if snapshot.figuresFromTrainer { return snapshot.figure.flatMap { $0.request == request ? $0 : nil } }
    return Figure(request, network: snapshot.boundaryNetwork, data: snapshot.data, bounds: snapshot.bounds)
  }

  public mutating func render(_ model: DashboardModel) -> CellBuffer {
    let layout = model.layout
    let presentation = model.presentation
    var buffer = CellBuffer(width: layout.width, height: layout.height, fill: Cell(" ", theme.textStyle))
    regionSizes = (nil, [])
    figureRequest = nil
    if layout.isTooSmall {
      renderTooSmall(into: &buffer, layout)
      return finished(buffer)
    }
    for (i, line) in presentation.captionLines(width: layout.width - 2).enumerated() where i < layout.caption.height {
      buffer.put(line, x: max(0, (layout.width - line.count) / 2), y: layout.caption.y + i, theme.titleStyle)
    }
    var body = Rect(
      x: 0, y: layout.caption.height, width: layout.width, height: layout.status.y - layout.caption.height)
    if let card = model.card {
      // The card's answer under its experiment.
      let lines =
        model.showsCardAnswer
        ? Card.all[card].answerLines(width: layout.width - 4)
        : ["The answer once the panels have run: space runs them."]
      let height = min(lines.count + 2, body.height / 2)
      let rect = Rect(x: 0, y: body.maxY - height, width: layout.width, height: height)
      buffer.box(
        // In a lesson the stage's number is on top; the card's own would only confuse.
        rect, title: (model.stage == nil ? "\(card + 1)/\(Card.all.count) " : "") + Card.all[card].title,
        border: theme.borderStyle,
        titleStyle: theme.titleStyle)
      for (i, line) in lines.prefix(height - 2).enumerated() {
        buffer.put(line, x: 2, y: rect.y + 1 + i, theme.textStyle, limit: layout.width - 4)
      }
      let keys = " x next · X back · \(model.leavesCard) "
      buffer.put(keys, x: max(0, layout.width - keys.count - 2), y: rect.maxY - 1, theme.dimStyle)
      body.height -= height
    }
    if model.view == .code, let snapshot = model.snapshot {
      let row = min(model.inspected.map { $0.test ? 0 : $0.index } ?? 0, snapshot.data.count - 1)
      if let reply = snapshot.trace, let request = model.traceRequest, reply.answers(request, for: snapshot) {
        let verified = verify(reply)
        let training = reply.step.config
        let batch = training.batchSize.map { $0 < snapshot.data.count } ?? false
        CodeView(
          trace: reply.step, code: PostCode(network: reply.step.network, training: training), line: model.codeLine,
          row: row, iteration: snapshot.boundaryIteration, theme: theme, glyphs: model.mathGlyphs, verified: verified,
          note: batch ? "shown on the full batch; training takes minibatches of \(training.batchSize!)" : nil
        ).render(into: &buffer, body)
      } else {
        waiting(for: snapshot, title: "the post's code", in: body, into: &buffer)
      }
    } else if model.view == .math, let snapshot = model.snapshot {
      MathView(
        network: snapshot.boundaryNetwork, points: snapshot.data.count, training: snapshot.settings.setup.training,
        check: model.gradientCheck, scroll: model.mathScroll, theme: theme, glyphs: model.mathGlyphs
      ).render(into: &buffer, body)
    } else if model.view.hasPanels {
      // The race keeps the right side for its losses on one chart.
      let grid = model.view == .race ? Rect(x: body.x, y: body.y, width: body.width * 3 / 5, height: body.height) : body
      if model.view == .race {
        RaceView(titles: model.sweepTitles, snapshots: model.sweep, theme: theme, logScale: model.logScale)
          .render(into: &buffer, Rect(x: grid.maxX, y: body.y, width: body.width - grid.width, height: body.height))
      }
      let areas = SweepGrid.plotAreas(count: model.sweepTitles.count, in: grid)
      regionSizes.sweep = areas.map { RegionSize(columns: $0.width, rows: $0.height) }
      let layers = areas.indices.map { i -> BoundaryLayer? in
        guard i < model.sweep.count, let snapshot = model.sweep[i] else { return nil }
        var cache = sweepLayers[i]
        defer { sweepLayers[i] = cache }
        return Self.regions(snapshot, areas[i], cache: &cache)
      }
      SweepGrid(
        titles: model.sweepTitles, snapshots: model.sweep, theme: theme,
        baseline: model.showBaseline ? model.snapshot?.baseline : nil, layers: layers,
        cells: model.sweep.map { $0?.points }
      ).render(into: &buffer, grid)
    } else if let snapshot = model.snapshot {
      if !layout.plot.isEmpty {
        let bounds = snapshot.bounds
        let area = BoundaryPlot.plotArea(in: layout.plot, bounds: bounds)
        regionSizes.main = RegionSize(columns: area.width, rows: area.height)
        let layer = Self.regions(snapshot, area, cache: &cachedLayer)
        BoundaryPlot(
          data: snapshot.data, test: snapshot.test, layer: layer, bounds: bounds,
          title: Self.describe(snapshot.settings.setup, snapshot.data, snapshot.test),
          footer: "boundary @ it \(PostNumbering.label(after: snapshot.boundaryIteration))", theme: theme,
          largePoints: presentation.present, baseline: model.showBaseline ? snapshot.baseline : nil,
          ramp: snapshot.ramp, cells: snapshot.points, discretize: model.discretize
        ).render(into: &buffer, layout.plot)
      }
      if let point = model.inspected, !layout.plot.isEmpty {
        highlight(point, snapshot, plot: layout.plot, in: &buffer)
      }
      let total = model.inspected.map { $0.test ? snapshot.test?.count ?? 0 : snapshot.data.count } ?? 0
      if let point = model.inspected, !layout.loss.isEmpty, point.index < total {
        if let reply = snapshot.trace, let request = model.traceRequest, reply.answers(request, for: snapshot),
          let forward = point.test ? reply.test : reply.step.forward
        {
          PointInspector(
            forward: forward, trace: reply.step, point: point, total: total, theme: theme, glyphs: model.mathGlyphs
          ).render(into: &buffer, layout.loss)
        } else {
          waiting(for: snapshot, title: "point \(point.index)", in: layout.loss, into: &buffer)
        }
      } else if !layout.loss.isEmpty && model.view == .units {
        var maps = UnitMaps(network: snapshot.boundaryNetwork, bounds: snapshot.bounds, theme: theme)
        maps.figure = figure(maps.request(in: layout.loss), snapshot)
        maps.render(into: &buffer, layout.loss)
      } else if !layout.loss.isEmpty && model.view == .classes {
        ClassesView(snapshot: snapshot, theme: theme).render(into: &buffer, layout.loss)
      } else if !layout.loss.isEmpty && model.view == .network {
        NetworkView(network: snapshot.boundaryNetwork, theme: theme, figure: figure(.weights, snapshot))
          .render(into: &buffer, layout.loss)
      } else if !layout.loss.isEmpty && model.view == .hidden {
        var view = HiddenSpaceView(
          network: snapshot.boundaryNetwork, data: snapshot.data, bounds: snapshot.bounds, theme: theme,
          layer: model.hiddenLayer, units: model.hiddenUnits, ramp: snapshot.ramp)
        view.figure = figure(view.request(in: layout.loss), snapshot)
        view.render(into: &buffer, layout.loss)
      } else if !layout.loss.isEmpty {
        let chart = model.lossChart(snapshot.history)
        LossChart(
          history: chart.history, logScale: model.logScale, current: snapshot.loss, theme: theme,
          window: chart.window
        )
        .render(into: &buffer, layout.loss)
      }
    } else {
      let area = BoundaryPlot.plotArea(in: layout.plot)
      regionSizes.main = RegionSize(columns: area.width, rows: area.height)
      buffer.box(layout.plot, title: "starting", border: theme.borderStyle, titleStyle: theme.titleStyle)
      buffer.box(layout.loss, title: "loss", border: theme.borderStyle, titleStyle: theme.titleStyle)
    }
    if !layout.knobs.isEmpty && ![.sweep, .race, .code, .math].contains(model.view) {
      KnobPanel(settings: model.settings, focus: model.focus, theme: theme, knobs: model.pageKnobs)
        .render(into: &buffer, layout.knobs)
      let shape = model.snapshot.map {
        "\($0.boundaryNetwork.sizes.map(String.init).joined(separator: "-")) \($0.boundaryNetwork.activation.rawValue)"
      }
      if let shape, layout.knobs.width > shape.count + 14 {
        buffer.put(" \(shape) ", x: layout.knobs.maxX - shape.count - 4, y: layout.knobs.y, theme.dimStyle)
      }
    }
    StatusBar(
      snapshot: model.snapshotOnScreen, settings: model.settings,
      theme: theme, inWords: presentation.present, message: model.status,
      panels: model.panelsOnShow, baseline: model.showBaseline
    )
    .render(into: &buffer, layout.status)
    if model.showHelp {
      HelpOverlay(theme: theme, command: model.commandLine, inLesson: model.stage != nil).render(
        into: &buffer, buffer.bounds)
    }
    return finished(buffer)
  }

  /// Whether the step walked through before this one landed on the trainer's parameters: the
  /// last trace's update against this trace's network, one iteration on (nil when not known).
  private mutating func verify(_ reply: TraceReply) -> Bool? {
    if let traces, (traces.run, traces.iteration, traces.data) == (reply.run, reply.iteration, reply.dataVersion) {
      return traces.verified
    }
    var verified: Bool?
    if let old = traces, old.run == reply.run, old.data == reply.dataVersion, old.iteration + 1 == reply.iteration,
      old.exact
    {
      verified = old.updated == reply.step.network
    }
    traces = (reply.run, reply.iteration, reply.dataVersion, reply.step.updated, reply.step.exact, verified)
    return verified
  }

  /// A panel saying the trainer is working out the step (seconds for a large network).
  private func waiting(for snapshot: Snapshot, title: String, in rect: Rect, into buffer: inout CellBuffer) {
    buffer.box(rect, title: title, border: theme.borderStyle, titleStyle: theme.titleStyle)
    let text =
      "taking apart the step from iteration \(snapshot.boundaryIteration.formatted()) on the trainer's thread…"
    for (i, line) in HelpOverlay.wrap(text, width: max(10, rect.width - 4)).enumerated() where i < rect.height - 2 {
      buffer.put(line, x: rect.x + 2, y: rect.y + 1 + i, theme.textStyle, limit: rect.width - 4)
    }
  }

  /// Marks the inspected point on the plot in reverse video.
  private func highlight(_ point: InspectedPoint, _ snapshot: Snapshot, plot: Rect, in buffer: inout CellBuffer) {
    guard let data = point.test ? snapshot.test : snapshot.data, point.index < data.count, data.features == 2 else {
      return
    }
    let area = BoundaryPlot.plotArea(in: plot, bounds: snapshot.bounds)
    let grid = PlotGrid(bounds: snapshot.bounds, columns: area.width, rows: area.height)
    let (column, row) = grid.position(data.X[point.index, 0], data.X[point.index, 1])
    let (x, y) = (area.x + Int(column), area.y + Int(row))
    guard area.contains(x: x, y: y) else { return }
    var cell = buffer[x, y]
    cell.style.reverse = true
    cell.style.bold = true
    buffer[x, y] = cell
  }

  /// Without colour, every cell keeps its character and attributes only.
  private func finished(_ buffer: CellBuffer) -> CellBuffer {
    guard theme.monochrome else { return buffer }
    var plain = buffer
    plain.removeColors()
    return plain
  }

  /// "moons · 200 pts · noise 0.20", with the test split when there is one.
  static func describe(_ setup: RunSetup, _ data: Dataset, _ test: Dataset?) -> String {
    var parts: [String]
    switch setup.source {
    case .generated(let kind):
      parts = [kind.rawValue, "\(data.count) pts", String(format: "noise %.2f", setup.noise ?? kind.defaultNoise)]
      if kind.hasClassCount { parts.append("\(data.classes) classes") }
    case .file(let path):
      parts = [URL(fileURLWithPath: path).lastPathComponent, "\(data.count) pts"]
    }
    if let test { parts.append("\(test.count) test") }
    return parts.joined(separator: " · ")
  }

  private func renderTooSmall(into buffer: inout CellBuffer, _ layout: Layout) {
    let lines = [
      "descent needs at least \(Layout.minWidth)x\(Layout.minHeight)",
      "this window is \(layout.width)x\(layout.height)",
      "enlarge it or use a smaller font",
    ]
    let top = max(0, (layout.height - lines.count) / 2)
    for (i, line) in lines.enumerated() {
      let text = String(line.prefix(layout.width))
      buffer.put(
        text, x: max(0, (layout.width - text.count) / 2), y: top + i, i == 0 ? theme.titleStyle : theme.textStyle)
    }
  }
}
