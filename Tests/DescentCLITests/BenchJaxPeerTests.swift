import Foundation
import Testing

@testable import descent

/// The jax column compares like with like only if the jax peer trains descent's network.
@Suite("descent bench's jax peer", .ownThreads)
struct BenchJaxPeerTests {
  /// For every configuration bench times, the jax peer's loss after a few passes (its
  /// `scripts/bench/post_jax.py`, run as bench runs it) is `descent train`'s, to the printed digit:
  /// the same data, initial weights, step and loss. A few, because two of them (1,000 points,
  /// summed gradients) turn chaotic within a hundred passes, where a last-bit difference in tanh
  /// moves the loss.
  @Test(.enabled(if: Peer.pythonImports("jax") || Tmux.inCI))
  func trainsDescentsNetworkInEveryConfiguration() throws {
    let script = ThemeEndToEndRoot.path + "/scripts/bench/post_jax.py"
    let jax = try #require(Peer.jax(script: script, limits: .unlimited), "python3 cannot import jax")
    let passes = 8
    for c in Bench.cases {
      let theirs = try #require(jax.run(c, passes: passes), "\(c.name)")
      let ours = try CLI.run(
        ["train", "--samples", "\(c.samples)", "--hidden", "\(c.hidden)", "--layers", "\(c.layers)"]
          + (c.mean ? ["--gradient", "mean"] : []) + ["--passes", "\(passes)", "--print-every", "0"])
      #expect(ours.status == 0, "\(c.name): \(ours.stderr)")
      let final = ours.stdout.components(separatedBy: "Final loss ").dropFirst().first?.prefix { $0 != "," }
      let loss = try #require(final.flatMap { Double($0) }, "\(c.name): \(ours.stdout)")
      // descent prints six decimals.
      #expect(abs(theirs.loss - loss) <= 5e-7 + 1e-12 * loss, "\(c.name): jax \(theirs.loss), descent \(loss)")
    }
  }
}
