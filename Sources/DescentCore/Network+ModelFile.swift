import Foundation

/// Model files, `"format": "descent-model/1"`: the activation and, from input to output, each
/// layer's `weights` (one row per input unit) and `biases` (one per output unit).
extension Network {
  public static let modelFormat = "descent-model/1"

  /// The model as JSON text, every number written so that it reads back exactly.
  public func modelJSON() -> String {
    func numbers(_ values: some Sequence<Double>) -> String {
      "[" + values.map { "\($0)" }.joined(separator: ", ") + "]"
    }
    let layerTexts = layers.map { layer in
      let rows = layer.W.nested.map { "        " + numbers($0) }.joined(separator: ",\n")
      return "    {\n      \"weights\": [\n\(rows)\n      ],\n      \"biases\": \(numbers(layer.b))\n    }"
    }
    return """
      {
        "format": "\(Network.modelFormat)",
        "activation": "\(activation.rawValue)",
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
    try parseModel(AtomicFile.readText(path, what: "a descent-model/1 JSON file"), name: path)
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
    guard file.format == modelFormat else {
      throw InputError("\(name): format is \"\(file.format)\"; only \"\(modelFormat)\" is read")
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
    guard layers[layers.count - 1].W.cols >= 2 else {
      throw InputError("\(name): the last layer has 1 output; a softmax classifier needs at least 2")
    }
    return Network(layers: layers, activation: activation)
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
  var activation: String
  var layers: [LayerFile]
}
