@testable import DescentCore
import Testing

@Suite("Initializations for the readers' questions")
struct InitializationTests {
  @Test func theDefaultIsThePostsAndTheVariantsDifferAsSaid() throws {
    var rng = RandomState(seed: 0)
    let post = Initialization().network(sizes: [2, 3, 2], activation: .tanh, rng: &rng)
    #expect(post == Network(sizes: [2, 3, 2], seed: 0))
    rng = RandomState(seed: 0)
    let nudged = Initialization(nudgesFirstWeight: true).network(sizes: [2, 3, 2], activation: .tanh, rng: &rng)
    #expect(nudged.layers[0].W.storage[0] == post.layers[0].W.storage[0].nextUp)
    #expect(Array(nudged.layers[0].W.storage.dropFirst()) == Array(post.layers[0].W.storage.dropFirst()))
    rng = RandomState(seed: 0)
    let plain = Initialization(dividesBySqrtFanIn: false).network(sizes: [2, 3, 2], activation: .tanh, rng: &rng)
    var again = RandomState(seed: 0)
    #expect(plain.layers[0].W == again.randn(2, 3) && plain.layers[1].W == again.randn(3, 2))
    rng = RandomState(seed: 0)
    let biased = Initialization(biasScale: 0.5).network(sizes: [2, 3, 2], activation: .tanh, rng: &rng)
    #expect(biased.layers[0].b.allSatisfy { $0 != 0 } && biased.layers[0].W == post.layers[0].W)
    // Through RunSetup: the default setup trains the post's network; a variant starts elsewhere.
    var setup = RunSetup.post
    #expect(try setup.makeTrainer().network == post)
    setup.initialization.nudgesFirstWeight = true
    #expect(try setup.makeTrainer().network == nudged)
  }
}
