/// Where each panel goes for a terminal size: the plot on the left, the loss chart above the
/// knobs on the right, the status bar at the bottom; a caption on top when there is a title.
/// A hidden panel's space goes to the others. Empty rectangles are panels not on show.
public struct Layout: Equatable, Sendable {
  public static let minWidth = 60
  public static let minHeight = 17

  public let width: Int
  public let height: Int
  public let caption: Rect
  public let plot: Rect
  public let loss: Rect
  public let knobs: Rect
  public let status: Rect

  public init(width: Int, height: Int, presentation: Presentation = Presentation()) {
    self.width = width
    self.height = height
    let top = presentation.captionLines(width: width - 2).count
    caption = Rect(x: 0, y: 0, width: top > 0 ? width : 0, height: top)
    // In presentation mode the status says everything in words, on two lines.
    let statusHeight = presentation.present ? 2 : 1
    let body = max(0, height - statusHeight - top)
    status = Rect(x: 0, y: max(0, height - statusHeight), width: width, height: statusHeight)
    let showsPlot = !presentation.hiddenPanels.contains(.plot)
    let showsLoss = !presentation.hiddenPanels.contains(.loss)
    let showsKnobs = presentation.showsKnobs
    let right = showsLoss || showsKnobs
    let plotWidth = !showsPlot ? 0 : right ? max(30, Int((Double(width) * 0.55).rounded())) : width
    plot = Rect(x: 0, y: top, width: plotWidth, height: showsPlot ? body : 0)
    let rightWidth = width - plotWidth
    let knobsHeight =
      showsKnobs
      ? (showsLoss ? min(presentation.knobRows + 2, body / 2) : min(presentation.knobRows + 2, body)) : 0
    loss = Rect(x: plotWidth, y: top, width: showsLoss ? rightWidth : 0, height: showsLoss ? body - knobsHeight : 0)
    knobs = Rect(x: plotWidth, y: top + body - knobsHeight, width: showsKnobs ? rightWidth : 0, height: knobsHeight)
  }

  public var isTooSmall: Bool { width < Self.minWidth || height < Self.minHeight }
}
