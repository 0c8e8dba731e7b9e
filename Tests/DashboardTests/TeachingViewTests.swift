import DescentCore
import Foundation
import Testing

@testable import Dashboard

/// The code view and the math view of a regression network (the dashboard does not train one
/// yet, so they are drawn here into a buffer): `yhat`, `delta3 = yhat - y` and the squared loss.
@Suite("Teaching views for regression")
struct TeachingViewTests {
  @Test func codeViewShowsRegressionsDeltaForAPoint() throws {
    var setup = RunSetup.post
    (setup.task, setup.source, setup.training.epsilon) = (.regression, .generated(.plane), 0.001)
    let trainer = try setup.makeTrainer()
    let trace = trainer.traceNextStep()
    let code = PostCode(network: trace.network, training: trace.config)
    let line = try #require(code.statements.firstIndex { $0.op == .regressionDelta })
    var buffer = CellBuffer(width: 80, height: 24)
    CodeView(trace: trace, code: code, line: line, row: 7, iteration: 0, theme: .standard).render(
      into: &buffer, buffer.bounds)
    // Point 7's prediction, worked out here with Foundation's tanh.
    let (net, data) = (trainer.network, trainer.data)
    var a = [data.X[7, 0], data.X[7, 1]]
    for (l, layer) in net.layers.enumerated() {
      var z = layer.b
      for j in z.indices { for i in a.indices { z[j] += a[i] * layer.W[i, j] } }
      a = l == 0 ? z.map { tanh($0) } : z
    }
    let target = try #require(data.targets)[7]
    func row(_ x: Double) -> String { "[" + String(format: "% .6f", x) + "]" }
    let text = buffer.text
    #expect(text.contains("▸ delta3 = yhat - y.reshape(-1, 1)"), "\(text)")
    #expect(text.contains("yhat[7]         \(row(a[0]))"), "\(text)")
    #expect(text.contains("delta3[7]       \(row(a[0] - target))"), "\(text)")
    #expect(text.contains("point 7 (y = " + ArrayText.number(target, 3) + ")"), "\(text)")
  }

  @Test func mathViewWritesTheSquaredLoss() {
    let network = Network(sizes: [2, 3, 1], activation: .tanh)
    var regression = network
    regression.task = .regression
    var buffer = CellBuffer(width: 100, height: 30)
    MathView(
      network: regression, points: 200, training: TrainingConfig(), check: nil, scroll: 0, theme: .standard
    ).render(into: &buffer, buffer.bounds)
    let text = buffer.text
    #expect(text.contains("ŷ = z2") && text.contains("L = (1/N) (Σ_i ½(ŷ_i − y_i)² + (λ/2) Σ |W|²)"), "\(text)")
    #expect(text.contains("delta3 = ŷ − y") && !text.contains("softmax"), "\(text)")
    // The bottom border says how to leave the view.
    #expect(text.split(separator: "\n").last?.hasPrefix("╰─ m close ─") == true, "\(text)")
  }

  /// An equation wider than the panel goes on under itself, broken after a space or a dot.
  @Test func aLongEquationGoesOnUnderItself() {
    let equation = "∂(N·L)/∂W1 = Xᵀ·((((ŷ − Y)·W4ᵀ ∘ relu'(z3))·W3ᵀ ∘ relu'(z2))·W2ᵀ ∘ relu'(z1))"
    #expect(
      MathView.wrap(equation, width: 74, then: 70) == [
        "∂(N·L)/∂W1 = Xᵀ·((((ŷ − Y)·W4ᵀ ∘ relu'(z3))·W3ᵀ ∘ relu'(z2))·W2ᵀ ∘", "relu'(z1))",
      ])
    #expect(
      MathView.wrap(equation, width: 30, then: 26) == [
        "∂(N·L)/∂W1 = Xᵀ·((((ŷ − Y)·", "W4ᵀ ∘ relu'(z3))·W3ᵀ ∘", "relu'(z2))·W2ᵀ ∘", "relu'(z1))",
      ])
    #expect(MathView.wrap("abcdefgh", width: 3, then: 3) == ["abc", "def", "gh"])
    #expect(MathView.wrap(equation, width: 100, then: 90) == [equation])
    // A panel narrower than a note's indent leaves no room: it still ends.
    #expect(MathView.wrap("ab c", width: -2, then: -2) == ["a", "b", "c"])
  }

  /// The gradients say what they are of: the post's summed gradient is that of N·L, L being the
  /// printed loss; the mean gradient divides the data term by N and not the penalty, so it is
  /// that of J, written out.
  @Test func theGradientsNameWhatTheyAreOf() {
    let network = Network(sizes: [2, 3, 2], activation: .tanh)
    func lines(_ gradient: GradientScale) -> [String] {
      var training = TrainingConfig()
      training.gradient = gradient
      return Equations.lines(network, count: 200, training: training, glyphs: .unicode).map(\.equation)
    }
    let summed = lines(.sum)
    #expect(summed.contains("∂(N·L)/∂W2 = a1ᵀ·delta3 + λ W2"), "\(summed)")
    #expect(summed.contains("∂(N·L)/∂b1 = Σ_rows delta2"), "\(summed)")
    #expect(!summed.contains { $0.hasPrefix("J =") || $0.contains("∂L/") }, "\(summed)")
    let mean = lines(.mean)
    #expect(mean.contains("J = (1/N) (−Σ_i log ŷ_{i,y_i}) + (λ/2) Σ |W|²"), "\(mean)")
    #expect(mean.contains("∂J/∂W2 = (1/N) a1ᵀ·delta3 + λ W2"), "\(mean)")
    #expect(mean.contains("∂J/∂b1 = (1/N) Σ_rows delta2"), "\(mean)")
  }
}

@Suite("Point inspector")
struct PointInspectorTests {
  /// At 80x24 the panel is 34 columns: a tiny −log p (written 9.5059e-05) shortens its note to
  /// fit instead of losing its last character; a wide panel keeps the whole note.
  @Test func aNarrowPanelShortensTheNoteInsteadOfCuttingIt() throws {
    let trainer = try RunSetup.post.makeTrainer()
    for _ in 0..<5000 { trainer.step() }
    let trace = trainer.traceNextStep()
    let losses = trace.forward.negativeLogProbabilities
    let sure = try #require(losses.indices.min { losses[$0] < losses[$1] })
    #expect(losses[sure] < 1e-4, "a point the network is sure of, written in e-notation")
    let y = trace.forward.y[sure]
    for (width, note) in [(34, "(p of y=\(y))"), (60, "(p of class \(y))")] {
      var buffer = CellBuffer(width: width, height: 14)
      PointInspector(
        forward: trace.forward, trace: trace, point: InspectedPoint(test: false, index: sure), total: 200,
        theme: .standard
      ).render(into: &buffer, buffer.bounds)
      let line = try #require(buffer.text.split(separator: "\n").first { $0.contains("log p") })
      #expect(line.contains(ArrayText.number(losses[sure], 6) + "  " + note + " "), "\(line)")
    }
  }
}
