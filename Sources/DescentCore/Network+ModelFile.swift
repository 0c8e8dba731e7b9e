import Foundation

/// Model files, `"format": "descent-model/2"`: the task, the activation, the input features, the
/// units of each layer (`widths`, input to output) and, from input to output, each layer's
/// `weights` (one row per input unit) and `biases` (one per output unit). `descent-model/1` files
/// (a classifier on the data's own columns, without `task`, `features` or `widths`) still load.
extension Network {
  public static let modelFormat = "descent-model/2"
  /// The first format, still read.
  public static let firstModelFormat = "descent-model/1"

  /// The model as JSON text, every number written so that it reads back exactly.
  public func modelJSON() -> String {
    func numbers(_ values: some Sequence<Double>) -> String {
      "[" + values.map { "\($0)" }.joined(separator: ", ") + "]"
    }
    let layerTexts = layers.map { layer in
      let rows = layer.W.nested.map { "        " + numbers($0) }.joined(separator: ",\n")
      return "    {\n      \"weights\": [\n\(rows)\n      ],\n      \"biases\": \(numbers(layer.b))\n    }"
    }
    // The data's own columns are written as x1, x2 for two of them, else as an empty list.
    let featureNames = features.isRaw ? (inputs == 2 ? ["x1", "x2"] : []) : features.list.map(\.rawValue)
    return """
      {
        "format": "\(Network.modelFormat)",
        "task": "\(task.rawValue)",
        "activation": "\(activation.rawValue)",
        "features": [\(featureNames.map { "\"\($0)\"" }.joined(separator: ", "))],
        "widths": [\(sizes.map(String.init).joined(separator: ", "))],
        "layers": [
      \(layerTexts.joined(separator: ",\n"))
        ]
      }

      """
  }

  /// Writes the model atomically (a temporary file renamed over `path`).
  public func save(to path: String) throws {
    guard isFinite else { throw InputError("\(path): not written, the model has numbers that are not finite") }
    try AtomicFile.write(modelJSON(), to: path)
  }

  /// The largest model file read: the largest network the options allow (1,000 inputs, eight
  /// hidden layers of 1,024 units, 100 classes) takes about 190 MB.
  public static let maxModelBytes = 256 << 20

  public static func load(from path: String) throws -> Network {
    let chunks = try AtomicFile.TextChunks(path, what: "a descent-model/2 (or /1) JSON file", limit: maxModelBytes)
    return try parseModel(name: path, source: chunks.next)
  }

  /// Reads a model; every error is one line that starts with `name` and says where and what.
  public static func parseModel(_ text: String, name: String = "model") throws -> Network {
    var rest: ArraySlice<UInt8>? = ArraySlice(text.utf8)
    return try parseModel(name: name) {
      defer { rest = nil }
      return rest
    }
  }

  /// No list in a model the options allow is longer: 1,024 units a layer, 1,000 inputs.
  static let maxListLength = 1024

  /// Reads a model from chunks of bytes, never holding more than one chunk of its text.
  static func parseModel(name: String, source: @escaping () throws -> ArraySlice<UInt8>?) throws -> Network {
    let file: ModelFile
    do {
      var reader = JSONReader(maxItems: maxListLength, maxDepth: 16, source: source)
      file = try ModelFile(try reader.read())
    } catch let failure as JSONReader.Failure {
      throw InputError("\(name): " + (failure.line.map { "line \($0): " } ?? "") + failure.message)
    }
    guard file.format == modelFormat || file.format == firstModelFormat else {
      throw InputError(
        "\(name): format is \"\(file.format)\"; only \"\(modelFormat)\" and \"\(firstModelFormat)\" are read")
    }
    let second = file.format == modelFormat
    for (key, present) in [
      ("task", file.task != nil), ("features", file.features != nil), ("widths", file.widths != nil),
    ]
    where second != present {
      throw InputError(
        second
          ? "\(name): is missing \"\(key)\""
          : "\(name): \"\(key)\" is not part of \(firstModelFormat); write \(modelFormat)")
    }
    var task = LearningTask.classification
    if let text = file.task {
      guard let read = LearningTask(rawValue: text) else {
        throw InputError("\(name): task \"\(text)\" is not one of classification, regression")
      }
      task = read
    }
    var features = InputFeatures.raw
    if let names = file.features {
      var list: [InputFeature] = []
      for text in names {
        guard let feature = InputFeature(rawValue: text), !list.contains(feature) else {
          let accepted = InputFeature.allCases.map(\.rawValue).joined(separator: ", ")
          throw InputError("\(name): feature \"\(text)\" is repeated or not one of \(accepted)")
        }
        list.append(feature)
      }
      features = InputFeatures(list: list)
    }
    guard let activation = Activation(rawValue: file.activation) else {
      let accepted = Activation.allCases.map(\.rawValue).joined(separator: ", ")
      throw InputError("\(name): activation \"\(file.activation)\" is not one of \(accepted)")
    }
    guard !file.layers.isEmpty else { throw InputError("\(name): \"layers\" is empty; expected at least one layer") }
    var layers: [Layer] = []
    for (l, layer) in file.layers.enumerated() {
      let place = "layers[\(l)]"
      let cols = layer.weights.first?.count ?? 0
      guard cols > 0, layer.weights.allSatisfy({ $0.count == cols }) else {
        throw InputError("\(name): \(place).weights must be rows of numbers, all of the same non-zero length")
      }
      guard layer.biases.count == cols else {
        throw InputError(
          "\(name): \(place).biases has \(layer.biases.count) values; expected \(cols), one per weight column")
      }
      guard layer.weights.allSatisfy({ $0.allSatisfy(\.isFinite) }) && layer.biases.allSatisfy(\.isFinite) else {
        throw InputError("\(name): \(place) holds a number that is not finite")
      }
      if let previous = layers.last, previous.W.cols != layer.weights.count {
        throw InputError(
          "\(name): \(place).weights has \(layer.weights.count) rows; expected \(previous.W.cols), the width of layers[\(l - 1)]"
        )
      }
      layers.append(Layer(W: Matrix(layer.weights), b: layer.biases))
    }
    let network = Network(layers: layers, activation: activation, features: features, task: task)
    if let widths = file.widths, widths != network.sizes {
      let actual = network.sizes.map(String.init).joined(separator: ", ")
      throw InputError("\(name): widths do not match the layers, which are [\(actual)] units wide")
    }
    try checkLimits(layers, name: name)
    if !features.isRaw && features.list.count != network.inputs {
      throw InputError(
        "\(name): \(features.list.count) features for a first layer of \(network.inputs) inputs")
    }
    switch task {
    case .classification:
      guard network.classes >= 2 else {
        throw InputError("\(name): the last layer has 1 output; a softmax classifier needs at least 2")
      }
    case .regression:
      guard network.classes == 1 else {
        throw InputError("\(name): the last layer has \(network.classes) outputs; regression has 1")
      }
    }
    return network
  }

  /// The limits the options set (`--hidden`, `--layers`, the data's features and classes) hold
  /// for a model file too, so `--init` cannot start a network no option could.
  private static func checkLimits(_ layers: [Layer], name: String) throws {
    guard layers.count - 1 <= 8 else {
      throw InputError("\(name): has \(layers.count - 1) hidden layers; at most 8 are trained (as --layers)")
    }
    guard layers[0].W.rows <= Dataset.maxFeatures else {
      throw InputError("\(name): takes \(layers[0].W.rows) inputs; at most \(Dataset.maxFeatures) are read")
    }
    for (l, layer) in layers.dropLast().enumerated() where layer.W.cols > 1024 {
      throw InputError("\(name): layers[\(l)] has \(layer.W.cols) units; at most 1024 a layer (as --hidden)")
    }
    guard layers[layers.count - 1].W.cols <= Dataset.maxLabel + 1 else {
      throw InputError(
        "\(name): has \(layers[layers.count - 1].W.cols) outputs; at most \(Dataset.maxLabel + 1) classes are read")
    }
  }
}

/// The shape of a model file, read from its JSON with a message naming the place of anything
/// missing or of the wrong kind.
private struct ModelFile {
  struct LayerFile {
    var weights: [[Double]]
    var biases: [Double]
  }
  var format: String
  var task: String?
  var activation: String
  var features: [String]?
  var widths: [Int]?
  var layers: [LayerFile]

  typealias Value = JSONReader.Value
  typealias Failure = JSONReader.Failure

  init(_ json: Value) throws {
    guard case .object(let top) = json else {
      throw Failure(message: "must be a JSON object with \"format\", \"activation\" and \"layers\"")
    }
    format = try Self.string(Self.member(top, "format", in: ""), "format")
    task = try Self.optional(top, "task").map { try Self.string($0, "task") }
    activation = try Self.string(Self.member(top, "activation", in: ""), "activation")
    features = try Self.optional(top, "features").map { value in
      try Self.list(value, "features").enumerated().map { try Self.string($1, "features[\($0)]") }
    }
    widths = try Self.optional(top, "widths").map { try Self.wholeNumbers($0, "widths") }
    layers = try Self.list(Self.member(top, "layers", in: ""), "layers").enumerated().map { l, layer in
      let place = "layers[\(l)]"
      guard case .object(let members) = layer else { throw Failure(message: "\(place) must be an object") }
      let rows = try Self.list(Self.member(members, "weights", in: place), place + ".weights")
      return LayerFile(
        weights: try rows.enumerated().map { try Self.numbers($1, place + ".weights[\($0)]") },
        biases: try Self.numbers(Self.member(members, "biases", in: place), place + ".biases"))
    }
  }

  private static func optional(_ members: [(key: String, value: Value)], _ key: String) -> Value? {
    guard let value = members.first(where: { $0.key == key })?.value else { return nil }
    if case .null = value { return nil }
    return value
  }

  private static func member(_ members: [(key: String, value: Value)], _ key: String, in place: String) throws -> Value
  {
    guard let value = optional(members, key) else {
      throw Failure(message: (place.isEmpty ? "" : place + " ") + "is missing \"\(key)\"")
    }
    return value
  }

  private static func string(_ value: Value, _ place: String) throws -> String {
    guard case .string(let text) = value else { throw Failure(message: "\(place) must be a string") }
    return text
  }

  private static func list(_ value: Value, _ place: String) throws -> [Value] {
    switch value {
    case .array(let items): return items
    case .numbers(let numbers): return numbers.map { .number($0) }
    default: throw Failure(message: "\(place) must be an array")
    }
  }

  private static func numbers(_ value: Value, _ place: String) throws -> [Double] {
    if case .numbers(let numbers) = value { return numbers }
    return try list(value, place).enumerated().map { i, item in
      guard case .number(let x) = item else { throw Failure(message: "\(place)[\(i)] must be a number") }
      return x
    }
  }

  private static func wholeNumbers(_ value: Value, _ place: String) throws -> [Int] {
    try numbers(value, place).enumerated().map { i, x in
      guard x.rounded() == x, abs(x) <= 1e9 else { throw Failure(message: "\(place)[\(i)] must be a whole number") }
      return Int(x)
    }
  }
}
