/// The panels a teacher can hide with `--hide`.
public enum Panel: String, CaseIterable, Sendable {
  case plot, loss, knobs
}

/// What the screen shows, beyond the terminal's size.
public struct Presentation: Equatable, Sendable {
  /// Presentation mode: plot and chart only, values in words in the status line.
  public var present = false
  public var hiddenPanels: Set<Panel> = []
  public var hiddenKnobs: Set<Knob> = []
  /// A caption across the top row.
  public var title: String?

  public init(present: Bool = false, hiddenPanels: Set<Panel> = [], hiddenKnobs: Set<Knob> = [], title: String? = nil) {
    self.present = present
    self.hiddenPanels = hiddenPanels
    self.hiddenKnobs = hiddenKnobs
    self.title = title
  }

  /// The knobs on show, in order.
  public var knobs: [Knob] { Knob.all.filter { !hiddenKnobs.contains($0) } }
  public var showsKnobs: Bool { !present && !hiddenPanels.contains(.knobs) && !knobs.isEmpty }
  /// The most knobs on one page.
  var knobRows: Int { Knob.pages.map { page in page.knobs.filter { !hiddenKnobs.contains($0) }.count }.max() ?? 0 }

  /// The most lines a caption takes: a lesson's heading and words, which are checked to fit two
  /// lines at 80 columns, take up to four at 60 (the narrowest terminal).
  static let mostCaptionLines = 5

  /// The caption's lines at a width: each line of the title wrapped at spaces, at most
  /// `mostCaptionLines`, the last ending in "…" when there is more.
  public func captionLines(width: Int) -> [String] {
    guard let title, width > 1 else { return [] }
    let lines = title.split(separator: "\n").flatMap { HelpOverlay.wrap(String($0), width: width) }
    guard lines.count > Self.mostCaptionLines else { return lines }
    var shown = Array(lines.prefix(Self.mostCaptionLines))
    shown[shown.count - 1] = String(shown[shown.count - 1].prefix(width - 1)) + "…"
    return shown
  }
}
