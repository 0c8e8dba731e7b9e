import DescentCore
import Testing

@Suite("Per-class accuracy and the confusion matrix")
struct ConfusionMatrixTests {
  @Test func countsEachClassAgainstItsPredictions() {
    let matrix = ConfusionMatrix(
      actual: [0, 0, 0, 1, 1, 2, 2, 2, 2], predicted: [0, 1, 0, 1, 1, 2, 0, 2, 1], classes: 4)
    #expect(matrix.counts == [[2, 1, 0, 0], [0, 2, 0, 0], [1, 1, 2, 0], [0, 0, 0, 0]])
    #expect(matrix.accuracy(of: 0) == 2.0 / 3 && matrix.accuracy(of: 1) == 1 && matrix.accuracy(of: 2) == 0.5)
    #expect(matrix.accuracy(of: 3) == nil, "a class without points has no accuracy")
    #expect(matrix.accuracy == 6.0 / 9)
  }

  /// The network's matrix agrees with its own predictions and accuracy, on three spiral classes.
  @Test func aNetworksMatrixIsItsPredictions() throws {
    var setup = RunSetup.post
    setup.source = .generated(.spiral)
    setup.classes = 3
    setup.hidden = 8
    let trainer = try setup.makeTrainer()
    for _ in 0..<300 { trainer.step() }
    let matrix = trainer.network.confusion(on: trainer.data)
    let predicted = trainer.network.predict(trainer.data.X)
    #expect(matrix.classes == 3)
    for a in 0..<3 {
      for p in 0..<3 {
        #expect(matrix.counts[a][p] == zip(trainer.data.y, predicted).filter { $0 == (a, p) }.count)
      }
    }
    #expect(matrix.accuracy == trainer.network.accuracy(on: trainer.data))
  }
}
