/// The post's numbering of iterations, used wherever the dashboard says "iteration i" (status
/// bar, chart, boundary label, SVG, loss.csv), as `descent train` does: the post prints "Loss
/// after iteration i" after the update with index i, so its line 0 (0.432387) comes after one
/// update and, after n updates, the iteration just finished is n - 1.
enum PostNumbering {
  /// The iteration finished after `updates` updates; nil before the first.
  static func iteration(after updates: Int) -> Int? { updates > 0 ? updates - 1 : nil }

  /// "1,000", or "–" before the first update.
  static func label(after updates: Int) -> String {
    iteration(after: updates).map { $0.formatted(.number) } ?? "–"
  }
}
