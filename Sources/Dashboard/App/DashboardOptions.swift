import DescentCore
import Dispatch
import Foundation
import Synchronization

/// How the dashboard starts, beyond the knobs.
public struct DashboardOptions: Sendable {
  public var settings: Settings
  public var paused = false
  /// Quit by itself after this many seconds (for tests and benchmarks).
  public var exitAfter: Double?
  /// Where to write run statistics on exit.
  public var statsJSON: String?
  /// A theme name or path (`--theme`).
  public var theme = "default"
  public var presentation = Presentation()
  /// Start in the hidden-size sweep view (`--sweep`), with these sizes.
  public var sweep = false
  public var sweepSizes = RunSetup.postSweepSizes
  /// Start in this view (`--view`).
  public var view: ViewMode?
  /// Run the guided tour (`descent tour`).
  public var tour = false
  /// Print the command line that recreates the final setup on exit.
  public var printCommand = false
  /// Draw in ASCII even in a UTF-8 locale (`--ascii`).
  public var ascii = false

  public init(settings: Settings) { self.settings = settings }
}
