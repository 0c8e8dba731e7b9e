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

  public init(theme: Theme = .standard) { self.theme = theme }

  public mutating func render(_ model: DashboardModel) -> CellBuffer {
    let layout = model.layout
    let presentation = model.presentation
    var buffer = CellBuffer(width: layout.width, height: layout.height, fill: Cell(" ", theme.textStyle))
    if layout.isTooSmall {
      renderTooSmall(into: &buffer, layout)
      return finished(buffer)
    }
    for (i, line) in presentation.captionLines(width: layout.width - 2).enumerated() where i < layout.caption.height {
      buffer.put(line, x: max(0, (layout.width - line.count) / 2), y: layout.caption.y + i, theme.titleStyle)
    }
    if model.view == .sweep {
      let body = Rect(
        x: 0, y: layout.caption.height, width: layout.width, height: layout.status.y - layout.caption.height)
      let areas = SweepGrid.plotAreas(count: model.sweepSizes.count, in: body)
      let layers = areas.indices.map { i -> BoundaryLayer? in
        guard i < model.sweep.count, let snapshot = model.sweep[i] else { return nil }
        let key = LayerKey(
          run: snapshot.run, iteration: snapshot.boundaryIteration, area: areas[i], bounds: snapshot.bounds,
          data: snapshot.dataVersion)
        if let cached = sweepLayers[i], cached.key == key { return cached.layer }
        let layer = BoundaryLayer(
          network: snapshot.boundaryNetwork, bounds: snapshot.bounds, columns: areas[i].width, rows: areas[i].height)
        sweepLayers[i] = (key, layer)
        return layer
      }
      SweepGrid(
        sizes: model.sweepSizes, snapshots: model.sweep, theme: theme,
        baseline: model.showBaseline ? model.snapshot?.baseline : nil, layers: layers
      ).render(into: &buffer, body)
    } else if let snapshot = model.snapshot {
      if !layout.plot.isEmpty {
        let bounds = snapshot.bounds
        let area = BoundaryPlot.plotArea(in: layout.plot)
        let key = LayerKey(
          run: snapshot.run, iteration: snapshot.boundaryIteration, area: area, bounds: bounds,
          data: snapshot.dataVersion)
        if cachedLayer?.key != key {
          cachedLayer = (
            key,
            BoundaryLayer(network: snapshot.boundaryNetwork, bounds: bounds, columns: area.width, rows: area.height)
          )
        }
        BoundaryPlot(
          data: snapshot.data, test: snapshot.test, layer: cachedLayer?.layer, bounds: bounds,
          title: Self.describe(snapshot.settings.setup, snapshot.data, snapshot.test),
          footer: "boundary @ it \(PostNumbering.label(after: snapshot.boundaryIteration))", theme: theme,
          largePoints: presentation.present, baseline: model.showBaseline ? snapshot.baseline : nil
        ).render(into: &buffer, layout.plot)
      }
      if !layout.loss.isEmpty && model.view == .units {
        let bounds = snapshot.bounds
        UnitMaps(network: snapshot.boundaryNetwork, bounds: bounds, theme: theme).render(into: &buffer, layout.loss)
      } else if !layout.loss.isEmpty && model.view == .network {
        NetworkView(network: snapshot.boundaryNetwork, theme: theme).render(into: &buffer, layout.loss)
      } else if !layout.loss.isEmpty && model.view == .hidden {
        HiddenSpaceView(
          network: snapshot.boundaryNetwork, data: snapshot.data, bounds: snapshot.bounds, theme: theme,
          layer: model.hiddenLayer, units: model.hiddenUnits
        ).render(into: &buffer, layout.loss)
      } else if !layout.loss.isEmpty {
        LossChart(
          history: snapshot.history, logScale: model.logScale, current: snapshot.loss, theme: theme,
          window: model.lossWindow
        )
        .render(into: &buffer, layout.loss)
      }
    } else {
      buffer.box(layout.plot, title: "starting", border: theme.borderStyle, titleStyle: theme.titleStyle)
      buffer.box(layout.loss, title: "loss", border: theme.borderStyle, titleStyle: theme.titleStyle)
    }
    if !layout.knobs.isEmpty && model.view != .sweep {
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
      snapshot: model.view == .sweep ? model.sweep.compactMap({ $0 }).first : model.snapshot, settings: model.settings,
      theme: theme, inWords: presentation.present, message: model.status, sweep: model.view == .sweep,
      baseline: model.showBaseline
    )
    .render(into: &buffer, layout.status)
    if model.showHelp {
      HelpOverlay(theme: theme, command: model.commandLine, touring: model.tourStage != nil).render(
        into: &buffer, buffer.bounds)
    }
    return finished(buffer)
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
