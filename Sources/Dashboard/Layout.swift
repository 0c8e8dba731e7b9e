/// Where each panel goes for a terminal size: the plot on the left, the loss chart above the
/// knobs on the right, the status bar at the bottom.
public struct Layout: Equatable, Sendable {
  public static let minWidth = 60
  public static let minHeight = 17

  public let width: Int
  public let height: Int
  public let plot: Rect
  public let loss: Rect
  public let knobs: Rect
  public let status: Rect

  public init(width: Int, height: Int) {
    self.width = width
    self.height = height
    let body = max(0, height - 1)
    let plotWidth = max(30, Int((Double(width) * 0.55).rounded()))
    plot = Rect(x: 0, y: 0, width: plotWidth, height: body)
    let right = width - plotWidth
    let knobsHeight = min(KnobPanel.height, body / 2)
    loss = Rect(x: plotWidth, y: 0, width: right, height: body - knobsHeight)
    knobs = Rect(x: plotWidth, y: body - knobsHeight, width: right, height: knobsHeight)
    status = Rect(x: 0, y: max(0, height - 1), width: width, height: 1)
  }

  public var isTooSmall: Bool { width < Self.minWidth || height < Self.minHeight }
}
