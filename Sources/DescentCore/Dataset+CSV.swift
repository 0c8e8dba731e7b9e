/// Points in a CSV file: one row per point, the feature columns, then an integer class label (or,
/// for regression, a real target). A first row that is not numeric is taken as a header.
extension Dataset {
  /// The most feature columns a file may have.
  public static let maxFeatures = 1000
  /// Labels run from 0 to this.
  public static let maxLabel = 99

  public static func readCSV(_ path: String, task: LearningTask = .classification) throws -> Dataset {
    let what = task == .regression ? "a real target" : "a class label"
    let text = try AtomicFile.readText(path, what: "a CSV file of features then \(what)")
    return try parseCSV(text, name: path, task: task)
  }

  /// Parses CSV text; `name` prefixes every error, which also gives the line and column.
  public static func parseCSV(_ text: String, name: String = "data", task: LearningTask = .classification) throws
    -> Dataset
  {
    var storage: [Double] = []
    var labels: [Int] = []
    var targets: [Double] = []
    var width = 0
    var widthLine = 0
    for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
      let lineNumber = index + 1
      let line = rawLine
      if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      if fields.count - 1 > maxFeatures {
        throw InputError(
          "\(name): line \(lineNumber) has \(fields.count) columns; at most \(maxFeatures) features and a label are read"
        )
      }
      let trimmed = fields.map { $0.trimmingCharacters() }
      if width == 0 && labels.isEmpty && trimmed.allSatisfy({ Double($0) == nil }) && trimmed.count >= 2 {
        width = trimmed.count  // a header
        widthLine = lineNumber
        continue
      }
      guard trimmed.count >= 2 else {
        throw InputError(
          "\(name): line \(lineNumber) has 1 column; expected at least one feature column, then a class label")
      }
      if width == 0 {
        width = trimmed.count
        widthLine = lineNumber
      }
      guard trimmed.count == width else {
        throw InputError(
          "\(name): line \(lineNumber) has \(trimmed.count) columns, but line \(widthLine) has \(width)")
      }
      for (c, field) in trimmed.dropLast().enumerated() {
        guard let value = Double(field) else {
          throw InputError("\(name): line \(lineNumber), column \(c + 1): '\(field.prefix(20))' is not a number")
        }
        guard value.isFinite else {
          throw InputError("\(name): line \(lineNumber), column \(c + 1): '\(field)' is not a finite number")
        }
        storage.append(value)
      }
      let labelField = trimmed[trimmed.count - 1]
      if task == .regression {
        guard let target = Double(labelField), target.isFinite else {
          throw InputError(
            "\(name): line \(lineNumber), column \(width): target '\(labelField.prefix(20))' is not a finite number")
        }
        targets.append(target)
        labels.append(0)
        continue
      }
      guard let label = Int(labelField), (0...maxLabel).contains(label) else {
        throw InputError(
          "\(name): line \(lineNumber), column \(width): class label '\(labelField.prefix(20))' is not a whole number from 0 to \(maxLabel)"
        )
      }
      labels.append(label)
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

  /// The points as CSV text with a header `x1,...,label`, numbers written to round-trip exactly.
  /// A regression data set's last column is `target`, a real number.
  public func csv() -> String {
    var out = (1...features).map { "x\($0)" }.joined(separator: ",") + (targets == nil ? ",label\n" : ",target\n")
    for r in 0..<count {
      let last = targets.map { "\($0[r])" } ?? "\(y[r])"
      out += (0..<features).map { "\(X[r, $0])" }.joined(separator: ",") + ",\(last)\n"
    }
    return out
  }
}

extension Substring {
  fileprivate func trimmingCharacters() -> String {
    String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
  }
}
