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
  /// The lesson to give (`descent lesson`, `descent tour`).
  public var lesson: Lesson?
  /// The lesson's stage to start at (a replay of a recording made in a later stage).
  public var lessonStage = 0
  /// Record every key and mouse event to this file (`--record`).
  public var record: String?
  /// A session of `descent serve` (its hidden `--served`): nothing is written on the server, so
  /// `R` is refused.
  public var served = false
  /// The lesson as the recording names it (a name or a path).
  public var lessonName: String?
  /// Play this recording back (`descent replay`).
  public var replay: Recording?
  /// The words of the command line's setup, for a recording.
  public var setupWords: [String] = []
  /// Start in this view (`--view`).
  public var view: ViewMode?
  /// Print the command line that recreates the final setup on exit.
  public var printCommand = false
  /// Draw in ASCII even in a UTF-8 locale (`--ascii`).
  public var ascii = false

  public init(settings: Settings) { self.settings = settings }
}
