import Foundation

/// One of TensorFlow Playground's seven input features, computed from a point `(x1, x2)`.
public enum InputFeature: String, CaseIterable, Sendable, Codable {
  case x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2

  /// The feature's value at a point whose raw columns are `x` (`x[1]` only for the features of x2).
  @inline(__always)
  func value(_ x: UnsafePointer<Double>) -> Double {
    switch self {
    case .x1: return x[0]
    case .x2: return x[1]
    case .x1sq: return x[0] * x[0]
    case .x2sq: return x[1] * x[1]
    case .x1x2: return x[0] * x[1]
    case .sinx1: return sin(x[0])
    case .sinx2: return sin(x[1])
    }
  }

  /// How many raw columns a point needs for this feature.
  var columnsNeeded: Int {
    switch self {
    case .x1, .x1sq, .sinx1: return 1
    case .x2, .x2sq, .x1x2, .sinx2: return 2
    }
  }
}

/// What the network sees of each point: the data's own columns (the post's `x1, x2`), or a list of
/// Playground features computed from them, in the order given.
public struct InputFeatures: Sendable, Equatable, Hashable {
  /// Empty: the raw columns as they are.
  public private(set) var list: [InputFeature]
  /// `x1,x2` was named (and stored as `raw`): the raw columns, which only two-column data has as
  /// those two. Not part of the value: it is the same network input as `raw`.
  private var namesTwoColumns = false

  /// The data's own columns, unchanged (the post's).
  public static let raw = InputFeatures(list: [])

  /// `[x1, x2]` is the raw columns of two-column data, so it is stored as `raw`.
  public init(list: [InputFeature]) {
    self.list = list == [.x1, .x2] ? [] : list
    namesTwoColumns = list == [.x1, .x2]
  }

  public static func == (a: InputFeatures, b: InputFeatures) -> Bool { a.list == b.list }
  public func hash(into hasher: inout Hasher) { hasher.combine(list) }

  public var isRaw: Bool { list.isEmpty }

  /// Parses `x1,x2,x1sq`; every error is one line naming the accepted names.
  public init(parsing text: String) throws {
    var list: [InputFeature] = []
    for word in text.split(separator: ",", omittingEmptySubsequences: false) {
      let name = word.trimmingCharacters(in: .whitespaces)
      guard let feature = InputFeature(rawValue: name) else {
        let accepted = InputFeature.allCases.map(\.rawValue).joined(separator: ", ")
        throw InputError("--features: '\(name)' is not one of \(accepted)")
      }
      guard !list.contains(feature) else { throw InputError("--features: \(name) is listed twice") }
      list.append(feature)
    }
    self.init(list: list)
  }

  /// `x1,x2` for the raw columns of two-column data.
  public var description: String { (isRaw ? [.x1, .x2] : list).map(\.rawValue).joined(separator: ",") }

  /// How many inputs the network has for data with `columns` raw columns.
  public func count(columns: Int) -> Int { isRaw ? columns : list.count }

  /// Checks that data with `columns` raw columns has what every feature reads.
  public func check(columns: Int) throws {
    if namesTwoColumns && columns != 2 {
      throw InputError(
        columns < 2
          ? "--features x2 needs 2 input columns; the data has \(columns)"
          : "--features x1,x2 reads 2 of the data's \(columns) columns; leave --features out to read them all"
      )
    }
    guard let needy = list.first(where: { $0.columnsNeeded > columns }) else { return }
    throw InputError(
      "--features \(needy.rawValue) needs \(needy.columnsNeeded) input columns; the data has \(columns)")
  }

  /// The feature matrix of `X`: one row per point, one column per feature.
  public func expand(_ X: Matrix) -> Matrix {
    guard !isRaw else { return X }
    precondition(list.allSatisfy { $0.columnsNeeded <= X.cols }, "features need more columns than the data has")
    var out = Matrix(rows: X.rows, cols: list.count)
    X.storage.withUnsafeBufferPointer { x in
      for r in 0..<X.rows {
        let point = x.baseAddress! + r * X.cols
        for (c, feature) in list.enumerated() { out.storage[r * list.count + c] = feature.value(point) }
      }
    }
    return out
  }

  /// The data set with its points replaced by their features (labels and targets kept).
  public func expand(_ data: Dataset) -> Dataset {
    guard !isRaw else { return data }
    var out = data
    out.X = expand(data.X)
    return out
  }
}

extension Network {
  /// Whether the network reads points of the plane `(x1, x2)`, so its regions can be drawn: the
  /// post's two raw inputs, or features of them.
  public var readsThePlane: Bool { features.isRaw ? inputs == 2 : true }
}
