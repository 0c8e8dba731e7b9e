import DescentCore

/// One stage of the guided tour: a setup, what is on show, and a caption.
public struct TourStage: Sendable {
  public var title: String
  public var caption: String
  public var setup: RunSetup
  public var baseline = false
  public var view = ViewMode.boundary
  public var paused = false
  /// The knob to put in focus, so < and > turn the one the stage is about.
  public var focus: Knob?
}
