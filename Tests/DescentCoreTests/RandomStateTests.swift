@testable import DescentCore
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

  /// Dropout's masks drawn eight at a time are the draws one at a time compared with p, across
  /// twists and from odd word offsets (a draw's two words straddling a twist), p on a draw's
  /// boundary included, and leave the generator at the same place.
  @Test(arguments: [0, 1, 311, 312, 623])
  func masksInBulkAreTheDrawsOneAtATime(wordsFirst: Int) {
    var (one, bulk) = (RandomState(seed: 3), RandomState(seed: 3))
    for _ in 0..<wordsFirst {
      _ = one.nextUInt32()
      _ = bulk.nextUInt32()
    }
    var boundary = RandomState(seed: 3)  // a p that one of the draws equals exactly
    for _ in 0..<wordsFirst + 20 { _ = boundary.nextUInt32() }
    let exact = boundary.randomSample()
    for (count, p) in [(1, 0.5), (5, 0.2), (700, exact), (2000, 0.9), (313, 0.0), (64, exact.nextUp)] {
      let expected = (0..<count).map { _ in one.randomSample() >= p ? 1 / (1 - p) : 0 }
      let masks = DropoutMasks(widths: [count], rows: 1)
      masks.draw(p: p, rows: 1, rng: &bulk)
      let drawn = masks.mask(layer: 0, row: 0)
      #expect(drawn == expected, "\(count) draws after \(wordsFirst) words, p = \(p)")
    }
    #expect(one.nextUInt32() == bulk.nextUInt32())
  }
}
