import Testing

@testable import DescentCore

@Suite("Large batches in blocks")
struct BlockTests {
  @Test func aBatchLargerThanABlockStepsAlongTheWholeGradient() throws {
    var setup = RunSetup.post
    setup.samples = 10_000  // three blocks of at most 4096 rows
    setup.hidden = 5
    let trainer = try setup.makeTrainer()
    let before = trainer.network
    let gradient = before.gradient(on: trainer.data, lambda: setup.training.lambda)  // one pass
    trainer.step()
    for (l, layer) in trainer.network.layers.enumerated() {
      for i in layer.W.storage.indices {
        let expected = before.layers[l].W.storage[i] - 0.01 * gradient[l].W.storage[i]
        #expect(abs(layer.W.storage[i] - expected) <= 1e-12 * max(1, abs(expected)))
      }
      for j in layer.b.indices {
        let expected = before.layers[l].b[j] - 0.01 * gradient[l].b[j]
        #expect(abs(layer.b[j] - expected) <= 1e-12 * max(1, abs(expected)))
      }
    }
  }

  @Test func measuredLossMatchesCalculateLossAcrossBlocks() throws {
    var setup = RunSetup.post
    setup.samples = 9000
    let trainer = try setup.makeTrainer()
    trainer.measuresLoss = true
    let loss = trainer.loss()
    trainer.step()
    #expect(abs(trainer.lossBeforeLastStep! - loss) <= 1e-12)
  }

  @Test func probabilitiesInBlocksEqualOnePass() {
    let network = Network(sizes: [2, 7, 3], seed: 3)
    var rng = RandomState(seed: 1)
    let data = Dataset.spiral(10_000, arms: 3, noise: 0.2, rng: &rng)
    let probs = network.probabilities(data.X)
    let tail = network.probabilities(data.X.rows(Array(8000..<10_000)))
    #expect(Array(probs.storage[(8000 * 3)...]) == tail.storage)
  }
}
