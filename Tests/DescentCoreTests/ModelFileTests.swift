import Foundation
import Testing

@testable import DescentCore

@Suite("Model files")
struct ModelFileTests {
  static func temporaryFolder() -> String {
    let path = NSTemporaryDirectory() + "descent-tests-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  @Test func roundTripIsExact() throws {
    let trainer = try RunSetup.post.makeTrainer()
    trainer.train(1234)
    let folder = Self.temporaryFolder()
    try trainer.network.save(to: folder + "/m.json")
    #expect(try Network.load(from: folder + "/m.json") == trainer.network)
    let text = try String(contentsOfFile: folder + "/m.json", encoding: .utf8)
    #expect(text.contains("\"format\": \"descent-model/2\""))
    #expect(text.contains("\"task\": \"classification\"") && text.contains("\"features\": [\"x1\", \"x2\"]"))
    #expect(text.contains("\"widths\": [2, 3, 2]"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["m.json"])  // no temp file left
  }

  @Test func resumingFromASavedModelContinuesTheSameRun() throws {
    let straight = try RunSetup.post.makeTrainer()
    straight.train(2000)
    let first = try RunSetup.post.makeTrainer()
    first.train(1000)
    let folder = Self.temporaryFolder()
    try first.network.save(to: folder + "/half.json")
    var setup = RunSetup.post
    setup.initialModel = folder + "/half.json"
    let resumed = try setup.makeTrainer()
    resumed.train(1000)
    #expect(resumed.network == straight.network)
  }

  @Test func shapesAreCheckedAgainstTheData() throws {
    let folder = Self.temporaryFolder()
    try Network(sizes: [3, 4, 2], seed: 0).save(to: folder + "/three.json")
    var setup = RunSetup.post
    setup.initialModel = folder + "/three.json"
    #expect(throws: InputError("\(folder)/three.json: the model takes 3 inputs, but the data has 2 features")) {
      try setup.makeTrainer()
    }
  }

  static let bad: [(String, String)] = [
    ("", "m.json: is not valid JSON (is the file complete?)"),
    (
      "{\"format\": \"descent-model/1\", \"activation\": \"tanh\", \"layers\": [",
      "m.json: is not valid JSON (is the file complete?)"
    ),
    (
      "{\"format\": \"other/2\", \"activation\": \"tanh\", \"layers\": []}",
      "m.json: format is \"other/2\"; only \"descent-model/2\" and \"descent-model/1\" are read"
    ),
    ("{\"activation\": \"tanh\", \"layers\": []}", "m.json: is missing \"format\""),
    (
      "{\"format\": \"descent-model/1\", \"activation\": \"softplus\", \"layers\": []}",
      "m.json: activation \"softplus\" is not one of tanh, sigmoid, relu"
    ),
    (
      "{\"format\": \"descent-model/1\", \"activation\": \"tanh\", \"layers\": []}",
      "m.json: \"layers\" is empty; expected at least one layer"
    ),
    (
      "{\"format\": \"descent-model/1\", \"activation\": \"tanh\", \"layers\": [{\"weights\": [[1, true]], \"biases\": [0, 0]}]}",
      "m.json: layers[0].weights[0][1] must be a number"
    ),
    (
      "{\"format\": \"descent-model/1\", \"activation\": \"tanh\", \"layers\": [{\"weights\": [[1, 2], [3]], \"biases\": [0, 0]}]}",
      "m.json: layers[0].weights must be rows of numbers, all of the same non-zero length"
    ),
    (
      "{\"format\": \"descent-model/1\", \"activation\": \"tanh\", \"layers\": [{\"weights\": [[1, 2]], \"biases\": [0]}]}",
      "m.json: layers[0].biases has 1 values; expected 2, one per weight column"
    ),
    (
      "{\"format\": \"descent-model/1\", \"activation\": \"tanh\", \"layers\": [{\"weights\": [[1, 2, 3]], \"biases\": [0, 0, 0]}, {\"weights\": [[1, 2]], \"biases\": [0, 0]}]}",
      "m.json: layers[1].weights has 1 rows; expected 3, the width of layers[0]"
    ),
    (
      "{\"format\": \"descent-model/1\", \"activation\": \"tanh\", \"layers\": [{\"weights\": [[1]], \"biases\": [0]}]}",
      "m.json: the last layer has 1 output; a softmax classifier needs at least 2"
    ),
  ]

  @Test(arguments: bad)
  func badModelFilesSayWhatIsWrong(_ c: (String, String)) {
    #expect(throws: InputError(c.1)) { try Network.parseModel(c.0, name: "m.json") }
  }

  @Test func writingIntoAMissingFolderFailsCleanly() {
    #expect(throws: InputError.self) { try AtomicFile.write("x", to: "/nonexistent-folder/m.json") }
  }

  /// Case 10: the limits are checked as the model is read. An endless list of numbers (a model
  /// no option could make, of any size) is refused after its 1,025th value, not read to the end.
  @Test func anEndlessListIsRefusedWhileReading() {
    var chunks = 0
    let opening = #"{"format": "descent-model/1", "activation": "tanh", "layers": [{"weights": [["#
    #expect(
      throws: InputError(
        "endless.json: line 1: a list of more than 1024 values; no model the options allow has one")
    ) {
      try Network.parseModel(name: "endless.json") {
        chunks += 1
        return chunks == 1 ? ArraySlice(opening.utf8) : ArraySlice("0.5, 0.25, ".utf8)
      }
    }
    #expect(chunks < 600, "read \(chunks) chunks")
  }

  /// Values nested deeper than a model's are refused, not followed down the stack.
  @Test func deepNestingIsRefused() {
    let text = String(repeating: "[", count: 100_000)
    #expect(throws: InputError("deep.json: line 1: values nested more than 16 deep; a model is 4 deep")) {
      try Network.parseModel(text, name: "deep.json")
    }
  }

  /// Strings and numbers as JSON writes them: escapes, exponents; not what JSON does not allow.
  @Test func theReaderFollowsJSON() throws {
    let text =
      #"{"format": "descent-\u006dodel/1", "x": [true, null, "a\"b", {"y": []}], "activation": "tanh", "#
      + #""layers": [{"weights": [[1E0, -2.5e-1]], "biases": [0, 0.0]}]}"#
    let network = try Network.parseModel(text)
    #expect(network.layers[0].W.storage == [1, -0.25])
    for bad in ["01", "1.", ".5", "+1", "0x10", "1e", "--1"] {
      let model =
        #"{"format": "descent-model/1", "activation": "tanh", "layers": [{"weights": [["#
        + bad + #", 1]], "biases": [0, 0]}]}"#
      #expect(throws: InputError("m.json: is not valid JSON (is the file complete?)"), "\(bad)") {
        try Network.parseModel(model, name: "m.json")
      }
    }
  }
}
