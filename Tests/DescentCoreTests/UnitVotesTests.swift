import Foundation
import Testing

@testable import DescentCore

/// The unit maps' arithmetic: what a hidden unit adds to each class's score.
@Suite("Hidden units' votes")
struct UnitVotesTests {
  /// Each unit votes for the class its activation times its output weights favours most
  /// (worked out here from the post's trained W1, b1, W2), and both classes get votes.
  @Test func eachUnitVotesForTheClassItPushesUp() throws {
    let trainer = try RunSetup.post.makeTrainer()
    trainer.train(3000)
    let network = trainer.network
    let points = stride(from: -1.5, through: 2.5, by: 0.5).flatMap { x in
      stride(from: -1.0, through: 1.5, by: 0.5).map { y in (x: x, y: y) }
    }
    var seen = Set<Int>()
    for j in 0..<3 {
      let votes = network.unitVotes(unit: j, at: points)
      for (point, vote) in zip(points, votes) {
        let W1 = network.layers[0].W
        let a = tanh(point.x * W1[0, j] + point.y * W1[1, j] + network.layers[0].b[j])
        let scores = (0..<2).map { a * network.layers[1].W[j, $0] }
        let expected = scores[1] > scores[0] ? 1 : 0
        #expect(vote.class == expected, "unit \(j + 1) at \(point)")
        #expect(abs(vote.strength - abs(scores[1] - scores[0]) / 2) < 1e-12)
        seen.insert(vote.class)
      }
    }
    #expect(seen == [0, 1])
  }
}
