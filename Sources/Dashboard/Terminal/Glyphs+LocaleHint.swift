extension Glyphs {
  /// What the status line says when the locale is not UTF-8: the variable that decides the
  /// locale (`LC_ALL` over `LC_CTYPE` over `LANG`), so that setting it is the fix.
  static func localeHint(environment: [String: String]) -> String {
    let variable = ["LC_ALL", "LC_CTYPE"].first { !(environment[$0] ?? "").isEmpty } ?? "LANG"
    return "no UTF-8 locale: drawn in ASCII; \(variable)=C.UTF-8 shows the full picture"
  }
}
