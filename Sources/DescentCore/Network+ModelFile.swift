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

  public static func load(from path: String) throws -> Network {
    try parseModel(AtomicFile.readText(path, what: "a descent-model/2 (or /1) JSON file"), name: path)
  }

  /// Reads a model; every error is one line that starts with `name` and says where and what.
  public static func parseModel(_ text: String, name: String = "model") throws -> Network {
    let file: ModelFile
    do {
      file = try JSONDecoder().decode(ModelFile.self, from: Data(text.utf8))
    } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
      let expected = type == Double.self ? "a number" : type == String.self ? "a string" : "an array or object"
      throw InputError("\(name): \(path(context.codingPath)) must be \(expected)")
    } catch let DecodingError.keyNotFound(key, context) {
      let place = context.codingPath.isEmpty ? "" : path(context.codingPath) + " "
      throw InputError("\(name): \(place)is missing \"\(key.stringValue)\"")
    } catch {
      throw InputError("\(name): is not valid JSON (is the file complete?)")
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

  /// `layers[0].weights[2]` from a decoding path.
  private static func path(_ codingPath: [any CodingKey]) -> String {
    codingPath.reduce("") { text, key in
      key.intValue.map { text + "[\($0)]" } ?? (text.isEmpty ? key.stringValue : text + "." + key.stringValue)
    }
  }
}

/// The JSON shape of a model file.
private struct ModelFile: Decodable {
  struct LayerFile: Decodable {
    var weights: [[Double]]
    var biases: [Double]
  }
  var format: String
  var task: String?
  var activation: String
  var features: [String]?
  var widths: [Int]?
  var layers: [LayerFile]
}
