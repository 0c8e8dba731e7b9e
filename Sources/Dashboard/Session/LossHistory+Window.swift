extension LossHistory {
  /// The curves and markers from iteration `start` on, counted from there: a lesson stage's
  /// chart starts at its own run.
  public func since(_ start: Int) -> LossHistory {
    guard start > 0 else { return self }
    var window = LossHistory()
    window.train = train.since(start)
    window.test = test.since(start)
    window.runStart = max(0, runStart - start)
    for marker in markers where marker.iteration >= start { window.mark(marker.iteration - start, marker.label) }
    return window
  }
}
