import Testing

@testable import DescentCore

@Suite("Initial weights")
struct WeightInitTests {
  /// The same draws from the generator, scaled three ways: the post's divides by sqrt(fan_in).
  @Test func theScalesDivideMultiplyOrLeaveTheDraws() {
    var rng = RandomState(seed: 0)
    let draws = [rng.randn(2, 3), rng.randn(3, 2)]
    for (weightInit, expected) in [
      (
        WeightInit.fanIn,
        [draws[0].storage.map { $0 / 2.0.squareRoot() }, draws[1].storage.map { $0 / 3.0.squareRoot() }]
      ),
      (.unit, [draws[0].storage, draws[1].storage]),
      (.small, [draws[0].storage.map { $0 * 0.01 }, draws[1].storage.map { $0 * 0.01 }]),
    ] {
      var rng = RandomState(seed: 0)
      let network = Network(sizes: [2, 3, 2], weightInit: weightInit, rng: &rng)
      #expect(network.layers.map(\.W.storage) == expected, "\(weightInit)")
      #expect(network.layers.allSatisfy { $0.b.allSatisfy { $0 == 0 } })
    }
  }

  @Test func theSetupsInitReachesTheTrainer() throws {
    var setup = RunSetup.post
    let post = try setup.makeTrainer().network
    #expect(post == Network(sizes: [2, 3, 2], seed: 0), "the post's build_model")
    setup.weightInit = .unit
    let unit = try setup.makeTrainer().network
    var rng = RandomState(seed: 0)
    #expect(unit.layers[0].W.storage == rng.randn(2, 3).storage, "randn itself, undivided")
  }
}
