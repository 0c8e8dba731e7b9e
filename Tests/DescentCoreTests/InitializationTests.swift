@testable import DescentCore
import Testing

@Suite("Initializations for the readers' questions")
struct InitializationTests {
  @Test func theDefaultIsThePostsAndTheVariantsDifferAsSaid() throws {
    var setup = RunSetup.post
    let post = try setup.makeTrainer().network
    #expect(post == Network(sizes: [2, 3, 2], seed: 0))
    setup.initialization.nudgesFirstWeight = true
    let nudged = try setup.makeTrainer().network
    #expect(nudged.layers[0].W.storage[0] == post.layers[0].W.storage[0].nextUp)
    #expect(Array(nudged.layers[0].W.storage.dropFirst()) == Array(post.layers[0].W.storage.dropFirst()))
    #expect(nudged.layers[1] == post.layers[1])
    setup.initialization = Initialization(biasScale: 0.5)
    let biased = try setup.makeTrainer().network
    #expect(biased.layers.allSatisfy { $0.b.allSatisfy { $0 != 0 } })
    #expect(biased.layers.map(\.W) == post.layers.map(\.W))
  }
}
