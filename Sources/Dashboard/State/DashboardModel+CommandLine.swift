extension DashboardModel {
  /// The `descent ...` command line that recreates what is on screen: the setup's knobs (as
  /// `Settings.commandLine`), then everything that shaped the screen itself: the passes, the
  /// theme, presentation mode, hidden panels and knobs, the caption and the view.
  public var commandLine: String {
    var words: [String] = []
    if settings.passes != Settings().passes { words += ["--passes", "\(settings.passes)"] }
    if themeName != "default" { words += ["--theme", Self.quoted(themeName)] }
    if presentation.present { words.append("--present") }
    if asciiForced { words.append("--ascii") }
    let hidden =
      Panel.allCases.filter { presentation.hiddenPanels.contains($0) }.map(\.rawValue)
      + Knob.all.filter { presentation.hiddenKnobs.contains($0) }.map(\.label)
    if !hidden.isEmpty { words += ["--hide", hidden.joined(separator: ",")] }
    if let title = presentation.title, stage == nil { words += ["--title", Self.quoted(title)] }
    if view == .sweep {
      words.append("--sweep")
      if sweepSizes != [1, 2, 3, 4, 5, 20, 50] {
        words += ["--sizes", sweepSizes.map(String.init).joined(separator: ",")]
      }
    } else if view != .boundary {
      words += ["--view", view.rawValue]
    }
    let base = settings.commandLine
    guard !words.isEmpty else { return base }
    // A note on mouse edits (`# plus 3 point edits`) stays last, after every option.
    if let note = base.range(of: " # ") {
      return base[..<note.lowerBound] + " " + words.joined(separator: " ") + base[note.lowerBound...]
    }
    return base + " " + words.joined(separator: " ")
  }

  /// A word as a shell reads it back: in single quotes when it has anything but letters, digits
  /// and `-_./,:=+`.
  static func quoted(_ word: String) -> String {
    let plain =
      !word.isEmpty
      && word.unicodeScalars.allSatisfy {
        $0.isASCII && ($0.properties.isAlphabetic || "0123456789-_./,:=+".unicodeScalars.contains($0))
      }
    return plain ? word : "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
  }
}
