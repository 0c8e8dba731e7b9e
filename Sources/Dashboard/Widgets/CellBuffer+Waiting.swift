extension CellBuffer {
  /// Says, inside a view's frame, that the trainer is still working out what it shows (seconds
  /// for a large network or many points), so an empty view is not taken for a broken one.
  mutating func waiting(for what: String, in rect: Rect, _ theme: Theme) {
    let text = "working out \(what) on the trainer's thread…"
    for (i, line) in HelpOverlay.wrap(text, width: max(10, rect.width - 2)).enumerated() where i < rect.height {
      put(line, x: rect.x + 1, y: rect.y + i, theme.dimStyle, limit: rect.width - 2)
    }
  }
}
