import DescentCore

extension DashboardModel {
  /// A seed for new weights or new data: random, or the one a replay gives (what the recording's
  /// `n` or `d` picked). Remembered, so a recording can write it down.
  mutating func pickSeed() -> UInt32 {
    let seed = givenSeed ?? UInt32.random(in: 1...UInt32.max)
    givenSeed = nil
    pickedSeed = seed
    return seed
  }
}

extension DashboardModel {
  /// A new run of the settings on screen, to record from: hand-edited points go (a recording
  /// starts from its setup).
  mutating func restartForRecording() -> [Effect] {
    settings.edits = 0
    return route(.apply(settings, restart: "recording"))
  }

  /// The stage on show, from its start again.
  mutating func restartStage() -> [Effect] {
    guard let current = stage else { return [] }
    stage = nil
    return goToStage(current)
  }

  /// The options a recording starts from: the settings as the command line writes them, the
  /// pace's end, hidden panels and knobs, presentation mode.
  var recordedSetup: [String] {
    var words = Array(settings.commandLine.split(separator: " ").map(String.init).dropFirst())
    if let comment = words.firstIndex(of: "#") { words.removeSubrange(comment...) }
    if settings.passes != RunSetup.postPasses { words += ["--passes", "\(settings.passes)"] }
    let hidden = presentation.hiddenPanels.map(\.rawValue).sorted() + presentation.hiddenKnobs.map(\.label).sorted()
    if !hidden.isEmpty { words += ["--hide", hidden.joined(separator: ",")] }
    if presentation.present { words.append("--present") }
    if snapshot?.state == .paused { words.append("--paused") }
    return words
  }
}
