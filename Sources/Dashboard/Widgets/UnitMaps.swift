import DescentCore
import Foundation

/// Inside the network: one small map per hidden unit of the first layer, coloured by what the
/// unit adds to each class's score (its activation times its output weights), so the maps add up
/// to the decision regions, as TensorFlow Playground's neuron thumbnails.
struct UnitMaps: Widget {
  var network: Network
  var bounds: PlotBounds
  var theme: Theme
  /// The units' votes over their maps, worked out by the trainer (`request(in:)`); drawn without
  /// them until they come.
  var figure: Figure? = nil

  /// The tiles' columns and rows for `count` maps in `rect`: as large as they go, about square.
  static func grid(count: Int, in rect: Rect) -> (columns: Int, rows: Int) {
    var best = (columns: 1, rows: count, side: 0.0)
    for columns in 1...max(1, count) {
      let rows = (count + columns - 1) / columns
      let width = Double(rect.width / columns - 1)
      let height = Double(rect.height / rows - 1) * 2  // a cell is about twice as tall as wide
      let side = min(width, height)
      if side > best.side { best = (columns, rows, side) }
    }
    return (best.columns, best.rows)
  }

  /// Whether the maps can be drawn: a network that reads the plane's two coordinates as they are.
  static func canDraw(_ network: Network) -> Bool {
    network.features.isRaw && network.inputs == 2 && network.layers.count >= 2
  }

  /// The maps shown in `inner` (the frame's inside): how many, their grid, and a tile's size.
  private func tiles(in inner: Rect) -> (shown: Int, grid: (columns: Int, rows: Int), width: Int, height: Int)? {
    let units = network.layers.first?.W.cols ?? 0
    guard Self.canDraw(network), units > 0, inner.width >= 4, inner.height >= 3 else { return nil }
    // As many maps as fit with at least 6 x 2 cells each. More than (width / 7) x (height / 3)
    // never fit, so the search starts there, not at a wide layer's thousand units.
    var shown = max(1, min(units, (inner.width / 7) * (inner.height / 3)))
    var grid = Self.grid(count: shown, in: inner)
    while shown > 1 && (inner.width / grid.columns < 7 || inner.height / grid.rows < 3) {
      shown -= 1
      grid = Self.grid(count: shown, in: inner)
    }
    return (shown, grid, inner.width / grid.columns, inner.height / grid.rows)
  }

  /// What the maps in `rect` need worked out, if they can be drawn.
  func request(in rect: Rect) -> FigureRequest? {
    tiles(in: rect.inset(1)).map { .unitMaps(units: $0.shown, columns: $0.width - 1, samples: ($0.height - 1) * 2) }
  }

  func render(into buffer: inout CellBuffer, _ rect: Rect) {
    buffer.fill(rect, " ", theme.textStyle)
    let units = network.layers.first?.W.cols ?? 0
    let long = "hidden units: what each adds to the vote"
    let title = rect.width >= long.count + 6 ? long : "hidden units"
    buffer.box(rect, title: title, border: theme.borderStyle, titleStyle: theme.titleStyle)
    let inner = rect.inset(1)
    guard let (shown, grid, tileWidth, tileHeight) = tiles(in: inner) else { return }
    guard let figure, figure.request == request(in: rect) else {
      buffer.waiting(for: "the units' maps", in: inner, theme)
      return
    }
    for j in 0..<shown {
      let tile = Rect(
        x: inner.x + (j % grid.columns) * tileWidth, y: inner.y + (j / grid.columns) * tileHeight,
        width: tileWidth - 1, height: tileHeight)
      drawUnit(j, votes: figure.unitVotes[j], into: &buffer, tile)
    }
    if shown < units {
      let more = " +\(units - shown) more "
      buffer.put(more, x: rect.maxX - more.count - 2, y: rect.maxY - 1, theme.dimStyle)
    }
  }

  /// One unit's map under a label naming the class it pushes toward.
  private func drawUnit(
    _ j: Int, votes: [(class: Int, strength: Double)], into buffer: inout CellBuffer, _ tile: Rect
  ) {
    let map = Rect(x: tile.x, y: tile.y + 1, width: tile.width, height: tile.height - 1)
    let columns = map.width
    let strongest = votes.reduce(1e-12) { max($0, $1.strength.isFinite ? $1.strength : 0) }
    func color(_ vote: (class: Int, strength: Double)) -> RGB {
      let t = vote.strength.isFinite ? min(1, max(0, vote.strength / strongest)) : 0
      return theme.regionColor(vote.class, confidence: t)
    }
    for row in 0..<map.height {
      for c in 0..<columns {
        let top = votes[(2 * row) * columns + c]
        let bottom = votes[(2 * row + 1) * columns + c]
        if theme.monochrome {
          buffer.set(map.x + c, map.y + row, BoundaryPlot.shade(top.class, top.strength / strongest), theme.textStyle)
        } else {
          buffer.set(map.x + c, map.y + row, "▀", Style(fg: color(top), bg: color(bottom)))
        }
      }
    }
    let label = "unit \(j + 1)"
    buffer.put(label, x: tile.x, y: tile.y, theme.textStyle, limit: tile.width)
  }
}
