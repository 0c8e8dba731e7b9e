import Foundation

/// Points in a CSV file: one row per point, the feature columns, then an integer class label (or,
/// for regression, a real target). A first row that is not numeric is taken as a header.
extension Dataset {
  /// The most feature columns a file may have.
  public static let maxFeatures = 1000
  /// Labels run from 0 to this.
  public static let maxLabel = 99
  /// The most rows a file may have (as `--samples`).
  public static let maxRows = 1_000_000
  /// The largest file read, in bytes: a million rows of a few dozen features.
  public static let maxCSVBytes = 256 << 20

  public static func readCSV(_ path: String, task: LearningTask = .classification) throws -> Dataset {
    let what = "a CSV file of features then \(task == .regression ? "a real target" : "a class label")"
    return try parseCSV(AtomicFile.readTextBytes(path, what: what, limit: maxCSVBytes), name: path, task: task)
  }

  /// Parses CSV text; `name` prefixes every error, which also gives the line and column.
  public static func parseCSV(_ text: String, name: String = "data", task: LearningTask = .classification) throws
    -> Dataset
  {
    try parseCSV(Array(text.utf8), name: name, task: task)
  }

  /// Parses CSV bytes in one pass, field by field, without making a string per field.
  public static func parseCSV(_ bytes: [UInt8], name: String = "data", task: LearningTask = .classification) throws
    -> Dataset
  {
    var parser = CSVParser(bytes: bytes, name: name, task: task)
    return try parser.parse()
  }

  /// The points as CSV text with a header `x1,...,label`, numbers written to round-trip exactly.
  public func csv() -> String {
    var out = (1...features).map { "x\($0)" }.joined(separator: ",") + (targets == nil ? ",label\n" : ",target\n")
    for r in 0..<count {
      let last = targets.map { "\($0[r])" } ?? "\(y[r])"
      out += (0..<features).map { "\(X[r, $0])" }.joined(separator: ",") + ",\(last)\n"
    }
    return out
  }
}

/// The reader behind `parseCSV`: lines split on LF, CR LF or CR; fields on commas, trimmed of
/// spaces and tabs; numbers read by `strtod` in the C locale (whatever the terminal's locale).
private struct CSVParser {
  /// The bytes with a NUL after them, so `strtod` always stops inside the buffer.
  let bytes: [UInt8]
  let name: String
  let task: LearningTask
  var storage: [Double] = []
  var labels: [Int] = []
  var targets: [Double] = []
  var width = 0
  var widthLine = 0

  nonisolated(unsafe) static let cLocale = newlocale(LC_NUMERIC_MASK, "C", nil)

  init(bytes: [UInt8], name: String, task: LearningTask) {
    self.bytes = bytes + [0]
    self.name = name
    self.task = task
  }

  /// A field as text for a message: at most 20 characters, marked when cut.
  func quoted(_ field: Range<Int>) -> String {
    let text = String(decoding: bytes[field], as: UTF8.self)
    return text.count > 20 ? String(text.prefix(20)) + "…" : text
  }

  mutating func parse() throws -> Dataset {
    // strtod reads the thread's locale: the C one here, whatever the terminal's (a German locale
    // would take 1,5 for a number).
    let previous = uselocale(CSVParser.cLocale)
    defer { uselocale(previous) }
    var fields: [Range<Int>] = []
    var lineNumber = 0
    var start = 0
    let end = bytes.count - 1
    while start < end {
      var stop = start
      while stop < end && bytes[stop] != 10 && bytes[stop] != 13 { stop += 1 }
      lineNumber += 1
      let next = stop < end && bytes[stop] == 13 && stop + 1 < end && bytes[stop + 1] == 10 ? stop + 2 : stop + 1
      defer { start = next }
      fields.removeAll(keepingCapacity: true)
      var fieldStart = start
      var blank = true
      for i in start...stop {
        if i == stop || bytes[i] == 44 {
          fields.append(trimmed(fieldStart..<i))
          fieldStart = i + 1
          if fields.count - 1 > Dataset.maxFeatures { break }
        } else if bytes[i] != 32 && bytes[i] != 9 {
          blank = false
        }
      }
      if blank && fields.count == 1 { continue }
      try row(fields, line: lineNumber, cut: fieldStart <= stop)
    }
    guard !labels.isEmpty else {
      let last = task == .regression ? "a real target" : "an integer class label"
      throw InputError("\(name): has no data rows; expected rows of feature columns then \(last)")
    }
    if task == .regression {
      return Dataset(X: Matrix(rows: labels.count, cols: width - 1, storage: storage), targets: targets)
    }
    guard Set(labels).count >= 2 else {
      throw InputError("\(name): every point has class \(labels[0]); at least two classes are needed")
    }
    return Dataset(X: Matrix(rows: labels.count, cols: width - 1, storage: storage), y: labels)
  }

  func trimmed(_ range: Range<Int>) -> Range<Int> {
    var (lower, upper) = (range.lowerBound, range.upperBound)
    while lower < upper && (bytes[lower] == 32 || bytes[lower] == 9) { lower += 1 }
    while upper > lower && (bytes[upper - 1] == 32 || bytes[upper - 1] == 9) { upper -= 1 }
    return lower..<upper
  }

  /// The number a whole field holds, or nil.
  func number(_ field: Range<Int>) -> Double? {
    guard !field.isEmpty else { return nil }
    return bytes.withUnsafeBufferPointer { buffer -> Double? in
      let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
      var stop: UnsafeMutablePointer<CChar>?
      let value = strtod(base + field.lowerBound, &stop)
      guard let stop, stop - UnsafeMutablePointer(mutating: base) == field.upperBound else { return nil }
      return value
    }
  }

  mutating func row(_ fields: [Range<Int>], line: Int, cut: Bool) throws {
    if cut || fields.count - 1 > Dataset.maxFeatures {
      var count = 0
      var i = fields[0].lowerBound
      while i < bytes.count - 1 && bytes[i] != 10 && bytes[i] != 13 {
        if bytes[i] == 44 { count += 1 }
        i += 1
      }
      throw InputError(
        "\(name): line \(line) has \(count + 1) columns; at most \(Dataset.maxFeatures) features and a label are read")
    }
    if width == 0 && labels.isEmpty && fields.count >= 2 && fields.allSatisfy({ number($0) == nil }) {
      width = fields.count  // a header
      widthLine = line
      return
    }
    guard fields.count >= 2 else {
      throw InputError("\(name): line \(line) has 1 column; expected at least one feature column, then a class label")
    }
    if width == 0 {
      width = fields.count
      widthLine = line
    }
    guard fields.count == width else {
      throw InputError("\(name): line \(line) has \(fields.count) columns, but line \(widthLine) has \(width)")
    }
    guard labels.count < Dataset.maxRows else {
      throw InputError("\(name): has more than \(Dataset.maxRows) rows; at most \(Dataset.maxRows) points are read")
    }
    for (c, field) in fields.dropLast().enumerated() {
      guard let value = number(field) else {
        throw InputError("\(name): line \(line), column \(c + 1): '\(quoted(field))' is not a number")
      }
      guard value.isFinite else {
        throw InputError("\(name): line \(line), column \(c + 1): '\(quoted(field))' is not a finite number")
      }
      storage.append(value)
    }
    let field = fields[fields.count - 1]
    if task == .regression {
      guard let target = number(field), target.isFinite else {
        throw InputError("\(name): line \(line), column \(width): target '\(quoted(field))' is not a finite number")
      }
      targets.append(target)
      labels.append(0)
      return
    }
    guard let label = self.label(field) else {
      throw InputError(
        "\(name): line \(line), column \(width): class label '\(quoted(field))' is not a whole number from 0 to \(Dataset.maxLabel)"
      )
    }
    labels.append(label)
  }

  /// A class label: digits only (a sign as `Int` takes it), from 0 to 99.
  func label(_ field: Range<Int>) -> Int? {
    if field.count == 1, (48...57).contains(bytes[field.lowerBound]) { return Int(bytes[field.lowerBound] - 48) }
    guard field.count <= 24, let value = Int(String(decoding: bytes[field], as: UTF8.self)) else { return nil }
    return (0...Dataset.maxLabel).contains(value) ? value : nil
  }
}
