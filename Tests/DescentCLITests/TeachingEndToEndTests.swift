import Dashboard
import DescentCore
import Foundation
import Testing

/// The code view, the point inspector, the math view and the gradient check, in a real terminal,
/// their numbers compared with a recomputation.
@Suite("How it learns, on screen", .ownThreads, .serialized, .enabled(if: Tmux.available))
struct TeachingEndToEndTests {
  static let sizes = [(80, 24), (160, 48)]

  /// The post's network at iteration 0 and its data.
  static func post() throws -> (Network, Dataset) {
    let trainer = try RunSetup.post.makeTrainer()
    return (trainer.network, trainer.data)
  }

  /// Row r's probabilities worked out here with Foundation's tanh and exp (not the core's kernels).
  static func probabilities(_ net: Network, _ data: Dataset, _ r: Int) -> [Double] {
    var a = (0..<data.features).map { data.X[r, $0] }
    for (l, layer) in net.layers.enumerated() {
      var z = layer.b
      for j in z.indices { for i in a.indices { z[j] += a[i] * layer.W[i, j] } }
      a = l == net.layers.count - 1 ? z.map { exp($0) } : z.map { tanh($0) }
    }
    let sum = a.reduce(0, +)
    return a.map { $0 / sum }
  }

  static func row(_ values: [Double]) -> String {
    "[" + values.map { String(format: "% .6f", $0) }.joined(separator: ", ") + "]"
  }

  @Test(arguments: sizes)
  func codeViewStepsThroughOneStepWithItsNumbers(size: (Int, Int)) throws {
    let (net, data) = try Self.post()
    let tmux = try Tmux(width: size.0, height: size.1)
    tmux.launch("--view code")
    _ = tmux.waitFor("the code view") {
      $0.contains("the post's training loop · iteration 0 · point 0 (class \(data.y[0]))")
        && $0.contains("▸ z1 = X.dot(W1) + b1") && $0.contains("X 200×2 · W1 2×3 + b1 1×3 → 200×3")
    }
    let p = Self.probabilities(net, data, 0)
    tmux.press("s", "s", "s", "s")
    _ = tmux.waitFor("the softmax line with point 0's probabilities") {
      $0.contains("▸ probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)")
        && $0.contains("probs[0]        \(Self.row(p))")
    }
    tmux.press("s", "s")
    var delta = p
    delta[data.y[0]] -= 1
    _ = tmux.waitFor("delta3's -= 1, before and after") {
      $0.contains("▸ delta3[range(num_examples), y] -= 1") && $0.contains("before          \(Self.row(p))")
        && $0.contains("after           \(Self.row(delta))") && $0.contains("subtract 1 in column \(data.y[0]) only")
    }
    // Through to the update, then the real step: the next trace says the two agreed.
    for _ in 0..<11 { tmux.press("s") }
    _ = tmux.waitFor("the last update line") { $0.contains("▸ b2 += -epsilon * db2") }
    tmux.press("s")
    _ = tmux.waitFor("iteration 1") { $0.contains("iteration 1 · point 0") && $0.contains("took the step") }
    for _ in 0..<17 { tmux.press("s") }
    _ = tmux.waitFor("the last line of iteration 1, the step before verified") {
      $0.contains("▸ b2 += -epsilon * db2") && $0.contains("the last step walked through = the trainer's, to the bit")
    }
    tmux.press("q")
    _ = tmux.waitFor("exit") { $0.contains("EXIT=0") }
  }

  /// Issue 17's options in the code view: their lines, and a walk through a whole step that lands
  /// on the trainer's (its dropout masks and momentum included); regression's delta for a point;
  /// the math view's equations for them.
  @Test(arguments: sizes)
  func codeAndMathViewsFollowThePlaygroundsOptions(size: (Int, Int)) throws {
    let tmux = try Tmux(width: size.0, height: size.1)
    tmux.launch("--view code --optimizer momentum --dropout 0.2 --reg l1 --features x1,x2,x1sq --epsilon 0.001")
    _ = tmux.waitFor("the options' lines") {
      $0.contains("X holds each point's features x1,x2,x1sq") && $0.contains("a1_drop = a1 * mask1")
    }
    var shape = PostCode.Shape(layers: 2)
    shape.features = InputFeatures(list: [.x1, .x2, .x1sq])
    (shape.optimizer, shape.dropout, shape.regularization) = (.momentum, true, .l1)
    let statements = PostCode(shape).lines.filter { $0.op != .comment }.count
    for _ in 0..<statements - 4 { tmux.press("s") }
    _ = tmux.waitFor("momentum's velocity of W2, before and after") {
      $0.contains("▸ vW2 = mu * vW2 - epsilon * dW2") && $0.contains("vW2 after = ")
    }
    for _ in 0..<4 { tmux.press("s") }
    _ = tmux.waitFor("iteration 1") { $0.contains("iteration 1 · point 0") && $0.contains("took the step") }
    for _ in 0..<statements - 1 { tmux.press("s") }
    _ = tmux.waitFor("the last line of iteration 1, the step before verified") {
      $0.contains("▸ b2 += vb2") && $0.contains("the last step walked through = the trainer's, to the bit")
    }
    tmux.press("q")
    _ = tmux.waitFor("exit") { $0.contains("EXIT=0") }

    // Regression: delta3 = yhat - y for point 0, against a recomputation.
    var setup = RunSetup.post
    (setup.task, setup.source, setup.training.epsilon) = (.regression, .generated(.plane), 0.001)
    let trainer = try setup.makeTrainer()
    let (net, data) = (trainer.network, trainer.data)
    var a = [data.X[0, 0], data.X[0, 1]]
    for (l, layer) in net.layers.enumerated() {
      var z = layer.b
      for j in z.indices { for i in a.indices { z[j] += a[i] * layer.W[i, j] } }
      a = l == 0 ? z.map { tanh($0) } : z
    }
    let target = try #require(data.targets)[0]
    tmux.launch("--view code --task regression --dataset plane --epsilon 0.001")
    _ = tmux.waitFor("the regression loop") { $0.contains("▸ z1 = X.dot(W1) + b1") }
    tmux.press("s", "s", "s", "s")
    _ = tmux.waitFor("regression's delta for point 0") {
      $0.contains("▸ delta3 = yhat - y.reshape(-1, 1)") && $0.contains("yhat[0]         \(Self.row(a))")
        && $0.contains("delta3[0]       \(Self.row([a[0] - target]))")
    }
    tmux.press("q")
    _ = tmux.waitFor("exit") { $0.contains("EXIT=0") }

    tmux.launch("--view math --reg l1 --optimizer adam --dropout 0.1")
    _ = tmux.waitFor("L1's and dropout's equations") {
      $0.contains("L = (1/N) (−Σ_i log ŷ_{i,y_i} + λ Σ |W|)") && $0.contains("m1 = 1[u ≥ p] / (1 − p)")
    }
    for _ in 0..<8 { tmux.press("j") }
    _ = tmux.waitFor("L1's gradient") { $0.contains("∂(N·L)/∂W1 = Xᵀ·delta2 + λ sign(W1)") }
    for _ in 0..<30 { tmux.press("j") }
    _ = tmux.waitFor("Adam's update") { $0.contains("s ← β2 s + (1 − β2) g²") }
    tmux.press("q")
  }

  @Test(arguments: sizes)
  func inspectorShowsAPointsProbabilities(size: (Int, Int)) throws {
    var setup = RunSetup.post
    setup.testFraction = 0.2
    let trainer = try setup.makeTrainer()
    let tmux = try Tmux(width: size.0, height: size.1)
    tmux.launch("--paused --test-fraction 0.2")
    _ = tmux.waitFor("the dashboard with a snapshot") { $0.contains("paused") && $0.contains("acc ") }
    tmux.press("i")
    _ = tmux.waitFor("point 0") { $0.contains("point 0 of 160 · train") }
    tmux.press("i")
    let p = Self.probabilities(trainer.network, trainer.data, 1)
    _ = tmux.waitFor("point 1's probabilities") {
      $0.contains("point 1 of 160 · train · class \(trainer.data.y[1])") && $0.contains("probs  \(Self.row(p))")
        && $0.contains("−log p  " + String(format: "%.6f", -log(p[trainer.data.y[1]])))
    }
    tmux.press("I")
    _ = tmux.waitFor("point 0 again") { $0.contains("point 0 of 160 · train") }
    tmux.press("I")
    let test = try #require(trainer.test)
    let q = Self.probabilities(trainer.network, test, 39)
    _ = tmux.waitFor("the last test point") {
      $0.contains("point 39 of 40 · test · class \(test.y[39])") && $0.contains("probs  \(Self.row(q))")
        && $0.contains("none (not trained on)")
    }
    tmux.press("Escape")
    _ = tmux.waitFor("the loss chart back") { !$0.contains("point 39") && $0.contains("loss") }
    tmux.press("q")
  }

  @Test(arguments: sizes)
  func mathViewWritesTheEquationsForOneAndThreeLayers(size: (Int, Int)) throws {
    let tmux = try Tmux(width: size.0, height: size.1)
    tmux.launch("--view math")
    _ = tmux.waitFor("one hidden layer") {
      $0.contains("the equations · 2-3-2 tanh") && $0.contains("W1 ∈ ℝ^{2×3}, b1 ∈ ℝ^{1×3}")
        && $0.contains("a1 = tanh(z1)") && $0.contains("delta3 = ŷ − Y")
    }
    for _ in 0..<20 { tmux.press("j") }
    _ = tmux.waitFor("the derivative") {
      $0.contains("delta2 = delta3·W2ᵀ ∘ tanh'(z1)") && $0.contains("tanh'(z) = 1 − a²")
    }
    tmux.press("q")
    _ = tmux.waitFor("exit") { $0.contains("EXIT=0") }
    tmux.launch("--view math --layers 3 --hidden 4 --activation relu")
    _ = tmux.waitFor("three hidden layers") {
      $0.contains("the equations · 2-4-4-4-2 relu") && $0.contains("a3 = relu(z3)")
    }
    for _ in 0..<40 { tmux.press("j") }
    _ = tmux.waitFor("the chain rule written out") {
      // Whole at 160 columns; at 80 it goes on under itself.
      $0.contains("∂(N·L)/∂W1 = Xᵀ·((((ŷ − Y)·W4ᵀ ∘ relu'(z3))·W3ᵀ ∘ relu'(z2))·W2ᵀ ∘")
        && $0.contains(size.0 >= 100 ? "·W2ᵀ ∘ relu'(z1))" : "│       relu'(z1))") && $0.contains("relu'(z) = 1[a > 0]")
    }
    tmux.press("q")
  }

  @Test(arguments: sizes)
  func gradientCheckShowsEachLayersWorstError(size: (Int, Int)) throws {
    let (net, data) = try Self.post()
    let expected = GradientCheck.worstRelativeErrors(net, on: data.subset(Array(0..<100)), lambda: 0.01)
    let tmux = try Tmux(width: size.0, height: size.1)
    tmux.launch("--paused")
    _ = tmux.waitFor("the dashboard with a snapshot") { $0.contains("paused") && $0.contains("acc ") }
    tmux.press("v")
    _ = tmux.waitFor("the check's figures") { screen in
      screen.contains("Gradient check at iteration 0, 100 points: worst relative error")
        && expected.enumerated().allSatisfy { l, e in
          screen.contains(
            "W\(l + 1) \(String(format: "%.1e", e.weights))   b\(l + 1) \(String(format: "%.1e", e.biases))   backpropagation agrees"
          )
        }
    }
    tmux.press("q")
  }
}
