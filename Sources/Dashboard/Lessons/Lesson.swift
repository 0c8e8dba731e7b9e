import DescentCore

/// A lesson: a title and stages a teacher moves through with → and ←, each a setup, what is on
/// show, and words for the class. Read from a TOML file (`Lesson.parse`); `descent tour` is the
/// shipped lesson `post`.
public struct Lesson: Sendable, Equatable {
  /// The name it is run by (its file's name without `.toml`).
  public var name: String
  public var title: String
  public var summary: String
  public var stages: [LessonStage]

  public init(name: String, title: String, summary: String = "", stages: [LessonStage]) {
    self.name = name
    self.title = title
    self.summary = summary
    self.stages = stages
  }
}

/// One stage of a lesson.
public struct LessonStage: Sendable, Equatable {
  public var title: String
  /// What the screen shows while the stage runs; `{loss}`, `{accuracy}`, `{iteration}`, a knob's
  /// name (`{epsilon}`) and the others in `LessonCaption.names` stand for live values.
  public var caption: String
  /// The settings the stage trains with, from its command-line options.
  public var settings: Settings
  public var view = ViewMode.boundary
  public var hiddenPanels: Set<Panel> = []
  public var hiddenKnobs: Set<Knob> = []
  /// The logistic-regression line over the plot.
  public var baseline = false
  /// Start paused (a stage with a question always does: the class answers first).
  public var paused = false
  /// The knob in focus, so < and > turn the one the stage is about.
  public var focus: Knob?
  /// Asked before the run starts.
  public var question: String?
  /// Shown once the run has stopped.
  public var answer: String?
  /// Where the loss chart starts: at this stage's run, or at the previous stage's (to compare).
  public var chart = ChartStart.stage
  /// The readers' question card it opens (an index into `Card.all`): its panels side by side,
  /// and its answer under them once they have run.
  public var card: Int?
  /// The hidden sizes of the sweep view.
  public var sweepSizes = RunSetup.postSweepSizes

  public init(title: String, caption: String, settings: Settings) {
    self.title = title
    self.caption = caption
    self.settings = settings
  }

  /// Where a stage's loss chart starts.
  public enum ChartStart: String, Sendable, CaseIterable {
    /// At this stage's run: the chart shows only it.
    case stage
    /// At the previous stage's run, so both curves are on screen side by side.
    case previous
  }
}
