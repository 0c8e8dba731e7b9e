import ArgumentParser

/// The command line as a user types it, made ready for the parser, and the hints for a mistyped
/// word that the parser itself does not give.
enum Arguments {
  /// `--epsilon -1` as `--epsilon=-1`: the parser takes a word starting with `-` for an option,
  /// and would say the value is missing; written together, the value reaches the option's range
  /// check, which says what is accepted.
  static func joiningNegativeNumbers(_ arguments: [String]) -> [String] {
    var out: [String] = []
    var i = 0
    while i < arguments.count {
      let word = arguments[i]
      if word.hasPrefix("--"), !word.contains("="), i + 1 < arguments.count, isNegativeNumber(arguments[i + 1]) {
        out.append(word + "=" + arguments[i + 1])
        i += 2
      } else {
        out.append(word)
        i += 1
      }
    }
    return out
  }

  static func isNegativeNumber(_ word: String) -> Bool {
    word.count > 1 && word.first == "-" && Double(word) != nil
  }

  /// For a first word that is neither an option nor a subcommand: the nearest subcommand, if one
  /// is close enough to be a typing slip (`trian` for `train`).
  static func suggestion(for word: String, among names: [String]) -> String? {
    guard !word.hasPrefix("-"), !names.contains(word) else { return nil }
    let scored = names.map { ($0, distance(word.lowercased(), $0)) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(1, best.0.count / 3) else { return nil }
    return best.0
  }

  /// Damerau-Levenshtein distance (optimal string alignment): a swap of two neighbours is one edit.
  static func distance(_ a: String, _ b: String) -> Int {
    let (s, t) = (Array(a), Array(b))
    guard !s.isEmpty else { return t.count }
    guard !t.isEmpty else { return s.count }
    var d = [[Int]](repeating: [Int](repeating: 0, count: t.count + 1), count: s.count + 1)
    for i in 0...s.count { d[i][0] = i }
    for j in 0...t.count { d[0][j] = j }
    for i in 1...s.count {
      for j in 1...t.count {
        let cost = s[i - 1] == t[j - 1] ? 0 : 1
        d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
        if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
      }
    }
    return d[s.count][t.count]
  }
}
