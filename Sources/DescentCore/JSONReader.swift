import Foundation

/// JSON read a chunk at a time, for model files: an array of numbers is kept as plain doubles
/// (8 bytes a number, where a general JSON tree took about 14 times the file: a 200 MB model used
/// 2.76 GB), and the limits are checked as the bytes arrive, not after.
struct JSONReader {
  /// A JSON value; an array whose items are all numbers is `numbers`.
  indirect enum Value {
    case object([(key: String, value: Value)])
    case array([Value])
    case numbers([Double])
    case number(Double)
    case string(String)
    case bool(Bool)
    case null
  }

  /// What is wrong, without the file's name; `line` is where, when it helps.
  struct Failure: Error {
    var line: Int? = nil
    var message: String
  }

  /// Arrays longer than this, and values nested deeper, are refused while reading.
  let maxItems: Int
  let maxDepth: Int
  private let source: () throws -> ArraySlice<UInt8>?
  private var buffer: ArraySlice<UInt8> = []
  private var line = 1

  /// Reads from `source`, which gives the next chunk of bytes or nil at the end.
  init(maxItems: Int, maxDepth: Int, source: @escaping () throws -> ArraySlice<UInt8>?) {
    self.maxItems = maxItems
    self.maxDepth = maxDepth
    self.source = source
  }

  /// The one value the input holds.
  mutating func read() throws -> Value {
    let value = try value(depth: 0)
    guard try skipSpace() == nil else { throw invalid() }
    return value
  }

  private func invalid() -> Failure { Failure(line: nil, message: "is not valid JSON (is the file complete?)") }

  private mutating func peek() throws -> UInt8? {
    while buffer.isEmpty {
      guard let chunk = try source() else { return nil }
      buffer = chunk
    }
    return buffer.first
  }

  private mutating func take() throws -> UInt8? {
    guard let byte = try peek() else { return nil }
    buffer.removeFirst()
    if byte == 10 { line += 1 }
    return byte
  }

  /// Skips white space; the next byte, if any.
  private mutating func skipSpace() throws -> UInt8? {
    while let byte = try peek(), byte == 32 || byte == 10 || byte == 13 || byte == 9 { _ = try take() }
    return try peek()
  }

  private mutating func expect(_ byte: UInt8) throws {
    guard try skipSpace() == byte else { throw invalid() }
    _ = try take()
  }

  private mutating func value(depth: Int) throws -> Value {
    guard depth < maxDepth else {
      throw Failure(line: line, message: "values nested more than \(maxDepth) deep; a model is 4 deep")
    }
    guard let byte = try skipSpace() else { throw invalid() }
    switch byte {
    case UInt8(ascii: "{"):
      _ = try take()
      var members: [(key: String, value: Value)] = []
      if try skipSpace() == UInt8(ascii: "}") {
        _ = try take()
        return .object(members)
      }
      while true {
        guard try skipSpace() == UInt8(ascii: "\"") else { throw invalid() }
        let key = try string()
        try expect(UInt8(ascii: ":"))
        members.append((key, try value(depth: depth + 1)))
        guard members.count <= maxItems else { throw tooMany() }
        switch try skipSpace() {
        case UInt8(ascii: ","): _ = try take()
        case UInt8(ascii: "}"):
          _ = try take()
          return .object(members)
        default: throw invalid()
        }
      }
    case UInt8(ascii: "["):
      _ = try take()
      var numbers: [Double] = []
      var values: [Value]?
      if try skipSpace() == UInt8(ascii: "]") {
        _ = try take()
        return .numbers([])
      }
      while true {
        let item = try value(depth: depth + 1)
        if case .number(let x) = item, values == nil {
          numbers.append(x)
        } else {
          if values == nil { values = numbers.map { .number($0) } }
          values!.append(item)
        }
        guard (values?.count ?? numbers.count) <= maxItems else { throw tooMany() }
        switch try skipSpace() {
        case UInt8(ascii: ","): _ = try take()
        case UInt8(ascii: "]"):
          _ = try take()
          return values.map { .array($0) } ?? .numbers(numbers)
        default: throw invalid()
        }
      }
    case UInt8(ascii: "\""):
      return .string(try string())
    default:
      return try scalar()
    }
  }

  private func tooMany() -> Failure {
    Failure(line: line, message: "a list of more than \(maxItems) values; no model the options allow has one")
  }

  /// A number, true, false or null; NaN, Infinity and numbers beyond a double are named.
  private mutating func scalar() throws -> Value {
    var token: [UInt8] = []
    let at = line
    while let byte = try peek(),
      byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
        || (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
    {
      token.append(byte)
      _ = try take()
      guard token.count <= 400 else { throw invalid() }
    }
    let text = String(decoding: token, as: UTF8.self)
    switch text {
    case "true": return .bool(true)
    case "false": return .bool(false)
    case "null": return .null
    default: break
    }
    let word = text.drop { $0 == "-" }.lowercased()
    if ["nan", "inf", "infinity"].contains(word) {
      throw Failure(
        line: at, message: "\(text.prefix(20)) is not a number JSON allows; model files hold finite numbers only")
    }
    guard Self.isNumber(token), let number = Double(text) else { throw invalid() }
    guard number.isFinite else {
      throw Failure(
        line: at, message: "\(text.prefix(20)) is too large for a Double; model files hold finite numbers only")
    }
    return .number(number)
  }

  /// JSON's number grammar: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
  static func isNumber(_ token: [UInt8]) -> Bool {
    var i = 0
    func digits() -> Int {
      let start = i
      while i < token.count, (48...57).contains(token[i]) { i += 1 }
      return i - start
    }
    if i < token.count, token[i] == UInt8(ascii: "-") { i += 1 }
    let start = i
    let whole = digits()
    guard whole > 0, whole == 1 || token[start] != 48 else { return false }
    if i < token.count, token[i] == UInt8(ascii: ".") {
      i += 1
      guard digits() > 0 else { return false }
    }
    if i < token.count, token[i] == UInt8(ascii: "e") || token[i] == UInt8(ascii: "E") {
      i += 1
      if i < token.count, token[i] == UInt8(ascii: "+") || token[i] == UInt8(ascii: "-") { i += 1 }
      guard digits() > 0 else { return false }
    }
    return i == token.count
  }

  /// A string, from its opening quote.
  private mutating func string() throws -> String {
    _ = try take()
    var bytes: [UInt8] = []
    while true {
      guard let byte = try take(), byte >= 32 else { throw invalid() }
      switch byte {
      case UInt8(ascii: "\""):
        guard let text = String(validating: bytes, as: UTF8.self) else { throw invalid() }
        return text
      case UInt8(ascii: "\\"):
        guard let escaped = try take() else { throw invalid() }
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(escaped)
        case UInt8(ascii: "b"): bytes.append(8)
        case UInt8(ascii: "f"): bytes.append(12)
        case UInt8(ascii: "n"): bytes.append(10)
        case UInt8(ascii: "r"): bytes.append(13)
        case UInt8(ascii: "t"): bytes.append(9)
        case UInt8(ascii: "u"):
          var code: UInt32 = 0
          for _ in 0..<4 {
            guard let hex = try take(), let digit = Int(String(UnicodeScalar(hex)), radix: 16) else { throw invalid() }
            code = code * 16 + UInt32(digit)
          }
          // A surrogate half alone is not a character: it reads as U+FFFD.
          bytes.append(contentsOf: Array(String(Character(UnicodeScalar(code) ?? "\u{FFFD}")).utf8))
        default: throw invalid()
        }
      default:
        bytes.append(byte)
        guard bytes.count <= 1 << 16 else { throw Failure(line: line, message: "a string longer than 64 KB") }
      }
    }
  }
}
