extension Message {
  /// The message's style in the status bar: what kind of news it is shows at a glance, a
  /// finished export in the theme's `done` colour, a problem in `diverged`, anything else in the
  /// plain text colour.
  func style(_ theme: Theme) -> Style {
    let color: RGB
    switch kind {
    case .information: color = theme.text
    case .done: color = theme.done
    case .error: color = theme.diverged
    }
    return Style(fg: color, bg: theme.uncertain, bold: kind != .information, reverse: theme.monochrome)
  }
}
