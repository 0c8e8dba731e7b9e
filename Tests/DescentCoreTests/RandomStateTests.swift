import DescentCore
import Testing

@Suite("numpy's legacy RandomState, draw for draw")
struct RandomStateTests {
  @Test func rawOutputMatchesMT19937() {
    var rng = RandomState(seed: 0)
    #expect((0..<10).map { _ in Int(rng.nextUInt32()) } == Fixtures.ints(Fixtures.rng["raw_seed0"]))
    var top = RandomState(seed: 4_294_967_295)
    #expect((0..<5).map { _ in Int(top.nextUInt32()) } == Fixtures.ints(Fixtures.rng["raw_seed4294967295"]))
  }

  @Test(arguments: ["0", "1", "42", "123456789"])
  func randomSample(seed: String) {
    var rng = RandomState(seed: UInt32(seed)!)
    let expected = Fixtures.doubles((Fixtures.rng["sample"] as! [String: Any])[seed])
    #expect((0..<6).map { _ in rng.randomSample() } == expected)
  }

  @Test func randnFillsRowMajorWithTheCachedGauss() {
    var rng = RandomState(seed: 0)
    #expect(rng.randn(3, 4).storage == Fixtures.doubles(Fixtures.rng["randn_seed0_3x4"]))
    var odd = RandomState(seed: 7)
    #expect((0..<7).map { _ in odd.gauss() } == Fixtures.doubles(Fixtures.rng["randn_seed7_odd"]))
  }

  @Test func uniformAndNormal() {
    var rng = RandomState(seed: 3)
    #expect((0..<5).map { _ in rng.uniform(-10, 10) } == Fixtures.doubles(Fixtures.rng["uniform_seed3"]))
    var normal = RandomState(seed: 5)
    #expect((0..<5).map { _ in normal.normal(2.5, scale: 0.3) } == Fixtures.doubles(Fixtures.rng["normal_seed5"]))
  }

  @Test func permutationUsesMaskedRejection() {
    var a = RandomState(seed: 0)
    #expect(a.permutation(10) == Fixtures.ints(Fixtures.rng["permutation_seed0_10"]))
    var b = RandomState(seed: 9)
    #expect(b.permutation(300) == Fixtures.ints(Fixtures.rng["permutation_seed9_300"]))
    var c = RandomState(seed: 1)
    #expect(Array(c.permutation(70000).prefix(50)) == Fixtures.ints(Fixtures.rng["permutation_seed1_70000_head"]))
  }

  @Test func postInitialWeights() {
    let network = Network(sizes: [2, 3, 2], activation: .tanh, seed: 0)
    let weights = network.layers[0].W.storage + network.layers[1].W.storage
    #expect(weights == Fixtures.doubles(Fixtures.rng["init_2_3_2_seed0"]))
    #expect(network.layers.allSatisfy { $0.b.allSatisfy { $0 == 0 } })
  }
}
