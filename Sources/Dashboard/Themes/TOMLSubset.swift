/// Checks that a theme file is written in the plain part of TOML a theme needs (comments,
/// `[table]` headers, `key = "string"`, `true`/`false`, numbers, and arrays of those), before
/// TOMLKit reads it.
///
/// Why: the toml++ parser inside TOMLKit 0.6.0 stops the whole program on a failed `assert` for
/// some malformed input in debug builds (fuzzing found `[#x` and `[}` among others), and a theme
/// file must never stop the dashboard. Anything this accepts is well-formed TOML.
enum TOMLSubset {
  struct Problem: Error, Equatable {
    var line: Int
    var message: String
  }

  /// `arraysOfTables` allows `[[name]]` headers (a lesson's stages).
  static func validate(_ text: String, arraysOfTables: Bool = false) -> Problem? {
    var scanner = Scanner(Array(text.unicodeScalars))
    scanner.arraysOfTables = arraysOfTables
    do {
      try scanner.document()
      return nil
    } catch {
      return error
    }
  }

  private struct Scanner {
    let s: [Unicode.Scalar]
    var i = 0
    var line = 1
    var arraysOfTables = false

    init(_ s: [Unicode.Scalar]) { self.s = s }

    var current: Unicode.Scalar? { i < s.count ? s[i] : nil }

    func fail(_ message: String) -> Problem { Problem(line: line, message: message) }

    mutating func document() throws(Problem) {
      while let c = current {
        switch c {
        case " ", "\t": i += 1
        case "\n", "\r": try newline()
        case "#": try comment()
        case "[": try header()
        default: try keyValue()
        }
      }
    }

    mutating func newline() throws(Problem) {
      if current == "\r" {
        i += 1
        guard current == "\n" else { throw fail("a carriage return must be followed by a line feed") }
      }
      i += 1
      line += 1
    }

    mutating func comment() throws(Problem) {
      while let c = current, c != "\n", c != "\r" {
        if isControl(c) { throw fail("a control character in a comment") }
        i += 1
      }
    }

    func isControl(_ c: Unicode.Scalar) -> Bool { (c.value < 0x20 && c != "\t") || c.value == 0x7F }

    mutating func spaces() { while current == " " || current == "\t" { i += 1 } }

    /// After a statement: spaces, maybe a comment, then the end of the line or of the file.
    mutating func endOfStatement() throws(Problem) {
      spaces()
      if current == "#" { try comment() }
      guard current == nil || current == "\n" || current == "\r" else {
        throw fail("unexpected '\(current!)' after a value; one key = value a line")
      }
    }

    mutating func header() throws(Problem) {
      i += 1
      let double = current == "["
      guard !double || arraysOfTables else { throw fail("arrays of tables ([[...]]) are not used in themes") }
      if double { i += 1 }
      spaces()
      try dottedKey()
      guard current == "]" else {
        throw fail(double ? "a header is written [[name]]" : "a table header is written [name]")
      }
      i += 1
      if double {
        guard current == "]" else { throw fail("a header is written [[name]]") }
        i += 1
      }
      try endOfStatement()
    }

    mutating func key() throws(Problem) {
      switch current {
      case "\"": try basicString()
      case "'": try literalString()
      case let c? where isBare(c):
        while let c = current, isBare(c) { i += 1 }
      default: throw fail("a key is letters, digits, - and _, or a quoted string")
      }
    }

    func isBare(_ c: Unicode.Scalar) -> Bool {
      ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "-" || c == "_"
    }

    /// `a`, `a.b`, `"a b" . c`, and the spaces after it.
    mutating func dottedKey() throws(Problem) {
      try key()
      spaces()
      while current == "." {
        i += 1
        spaces()
        try key()
        spaces()
      }
    }

    mutating func keyValue() throws(Problem) {
      try dottedKey()
      guard current == "=" else { throw fail("expected key = value") }
      i += 1
      spaces()
      try value(arrays: true)
      try endOfStatement()
    }

    mutating func value(arrays: Bool) throws(Problem) {
      switch current {
      case "\"": try basicString()
      case "'": try literalString()
      case "t": try word("true")
      case "f": try word("false")
      case "[" where arrays: try array()
      case let c? where ("0"..."9").contains(c) || c == "+" || c == "-": try number()
      default: throw fail("a value is a \"string\", true, false, a number or an array [...]")
      }
    }

    mutating func word(_ w: String) throws(Problem) {
      for scalar in w.unicodeScalars {
        guard current == scalar else { throw fail("a value is a \"string\", true, false, a number or an array [...]") }
        i += 1
      }
    }

    mutating func number() throws(Problem) {
      if current == "+" || current == "-" { i += 1 }
      var digits = 0
      while let c = current,
        ("0"..."9").contains(c) || c == "." || c == "e" || c == "E" || c == "_" || c == "+" || c == "-"
      {
        if ("0"..."9").contains(c) { digits += 1 }
        i += 1
      }
      guard digits > 0 else { throw fail("a number needs digits") }
    }

    mutating func basicString() throws(Problem) {
      i += 1
      if current == "\"" && i + 1 < s.count && s[i + 1] == "\"" {
        throw fail("multi-line strings are not supported; write one line (the screen wraps it)")
      }
      while true {
        guard let c = current, c != "\n", c != "\r" else { throw fail("a string is not closed on its line") }
        i += 1
        if c == "\"" { return }
        if c == "\\" {
          guard let e = current else { throw fail("a string is not closed on its line") }
          i += 1
          switch e {
          case "b", "t", "n", "f", "r", "\"", "\\": continue
          case "u", "U":
            let count = e == "u" ? 4 : 8
            for _ in 0..<count {
              guard let h = current, h.properties.isASCIIHexDigit else {
                throw fail("\\\(e) needs \(count) hex digits")
              }
              i += 1
            }
          default: throw fail("unknown escape \\\(e) in a string")
          }
        } else if isControl(c) {
          throw fail("a control character in a string")
        }
      }
    }

    mutating func literalString() throws(Problem) {
      i += 1
      if current == "'" && i + 1 < s.count && s[i + 1] == "'" {
        throw fail("multi-line strings are not supported; write one line (the screen wraps it)")
      }
      while true {
        guard let c = current, c != "\n", c != "\r" else { throw fail("a string is not closed on its line") }
        i += 1
        if c == "'" { return }
        if isControl(c) { throw fail("a control character in a string") }
      }
    }

    /// Blank space, line breaks and comments inside an array.
    mutating func filler() throws(Problem) {
      while let c = current {
        switch c {
        case " ", "\t": i += 1
        case "\n", "\r": try newline()
        case "#": try comment()
        default: return
        }
      }
    }

    mutating func array() throws(Problem) {
      let opened = line
      i += 1
      while true {
        try filler()
        guard let c = current else { throw Problem(line: opened, message: "an array [ is not closed") }
        if c == "]" {
          i += 1
          return
        }
        try value(arrays: false)
        try filler()
        if current == "," {
          i += 1
        } else if current == "]" {
          i += 1
          return
        } else {
          throw fail("array items are separated by commas and the array ends with ]")
        }
      }
    }
  }
}
