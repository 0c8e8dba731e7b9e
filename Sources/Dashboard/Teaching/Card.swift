import DescentCore

/// One of the readers' questions as an experiment: panels training side by side on settings
/// that differ in the one thing asked about (a setting, or a line of the code as a reader
/// misread it), and the answer in two or three sentences.
public struct Card: Sendable {
  /// One panel: its title and how its settings differ from the card's base.
  public struct Panel: Sendable {
    public var title: String
    public var setup: @Sendable (inout RunSetup) -> Void
  }

  /// What a lesson opens it by (`card = "minibatch"`).
  public var name: String
  public var title: String
  public var answer: String
  public var panels: [Panel]
  /// The line of the post's code the question is about: `c` opens the code view on it.
  public var codeLine: PostCode.Op?

  /// The base every panel starts from: the post's setup, fast enough to watch.
  static func base(_ settings: Settings) -> Settings {
    var base = Settings(setup: .post)
    base.setup.seed = settings.setup.seed
    base.speed = 2000
    base.redrawEvery = 50
    return base
  }

  /// The index in `all` of the card called `name`, if there is one.
  public static func named(_ name: String) -> Int? { all.firstIndex { $0.name == name } }

  /// The answer as the screen wraps it to `width` columns.
  public func answerLines(width: Int) -> [String] { HelpOverlay.wrap(answer, width: width) }

  /// The panels' settings on `settings`' seed.
  public func panelSettings(_ settings: Settings) -> [Settings] {
    panels.map { panel in
      var s = Self.base(settings)
      panel.setup(&s.setup)
      return s
    }
  }

  /// The ten questions, in the order the help overlay lists them.
  public static let all: [Card] = [
    Card(
      name: "one-unit",
      title: "Why is the boundary a straight line with one hidden unit?",
      answer:
        "One unit computes one number, tanh(x·w + b); every point with the same x·w gets the same output, so the classes are split by a line x·w = c. Stacking one-unit layers only bends that number again: the boundary stays a line.",
      panels: [
        Panel(title: "1 unit", setup: { $0.hidden = 1 }),
        Panel(
          title: "1-1-1 units",
          setup: {
            $0.hidden = 1; $0.layers = 3
          }),
        Panel(title: "3 units (the post)", setup: { _ in }),
      ]),
    Card(
      name: "biases",
      title: "Do the initial biases matter?",
      answer:
        "Barely: the weights already break the symmetry between units, and the biases move within a few steps. Zeros (the post) and random biases end on nearly the same boundary and loss.",
      panels: [
        Panel(title: "b = 0 (the post)", setup: { _ in }),
        Panel(title: "b = 0.5 randn", setup: { $0.initialization.biasScale = 0.5 }),
        Panel(title: "b = 2 randn", setup: { $0.initialization.biasScale = 2 }),
      ]),
    Card(
      name: "divided-by-n",
      title: "Should the regularization be divided by N?",
      answer:
        "The post descends Σ loss + λ/2 |W|², so per point its λ is λ/N. The reader's fix (mean loss + λ/2 |W|²) is the mean gradient with the same λ: 200 times the regularization, a smoother boundary (loss 0.18). With λ/N it takes the post's steps again.",
      panels: [
        Panel(title: "post: sum, ε .01", setup: { _ in }),
        Panel(
          title: "reader: mean, ε 2",
          setup: {
            $0.training.gradient = .mean
            $0.training.epsilon = 2
          }),
        Panel(
          title: "mean, ε 2, λ/N",
          setup: {
            $0.training.gradient = .mean
            $0.training.epsilon = 2
            $0.training.lambda = 0.00005
          }),
      ]),
    Card(
      name: "minibatch",
      title: "Why does a minibatch loss look higher and noisier?",
      answer:
        "The post sums the gradient over the batch, so a batch of 50 takes a quarter of its step, along a few points' gradient that zigzags around the full-batch path: the loss, still over every point, wobbles with each batch and ends a little higher. A batch of 10 takes a twentieth: after the same steps it is still coming down.",
      panels: [
        Panel(title: "full batch (the post)", setup: { _ in }),
        Panel(title: "batches of 50", setup: { $0.training.batchSize = 50 }),
        Panel(title: "batches of 10", setup: { $0.training.batchSize = 10 }),
      ]),
    Card(
      name: "annealing",
      title: "Why does annealing a0 = 1, k = 0.005 give a straight line?",
      answer:
        "ε = 1 on the summed loss throws the weights far at once, saturating the tanh units; then ε/(1 + kt) shrinks before they recover, and the frozen network draws one line. A small fixed ε learns the moons.",
      panels: [
        Panel(title: "ε .01, batches of 40", setup: { $0.training.batchSize = 40 }),
        Panel(
          title: "ε 1, k .005, batches of 40",
          setup: {
            $0.training.epsilon = 1
            $0.training.anneal = 0.005
            $0.training.batchSize = 40
          }),
      ]),
    Card(
      name: "many-points",
      title: "Why do the gradients explode on 10,000 points?",
      answer:
        "The post's gradient is a sum over the points: with 10,000 of them it is 50 times larger than with 200, and ε = 0.01 overshoots (the loss climbs to about 19 in 300 steps). The mean gradient divides by N, and ε = 1 trains.",
      panels: [
        Panel(title: "10,000 pts, summed", setup: { $0.samples = 10000 }),
        Panel(
          title: "10,000 pts, mean, ε 1",
          setup: {
            $0.samples = 10000
            $0.training.gradient = .mean
            $0.training.epsilon = 1
          }),
      ]),
    Card(
      name: "init-scale",
      title: "Why divide the initial weights by sqrt(fan_in)?",
      answer:
        "A unit of the second layer sums 50 inputs: with plain randn weights its z is about sqrt(50) ≈ 7 times larger, so tanh starts saturated at ±1 where 1 − a² is near 0: the first loss is near 16, and the network lags behind for thousands of steps. Dividing by sqrt(fan_in) keeps z near 1, where every unit learns from the start.",
      panels: [
        Panel(
          title: "50 units, / sqrt(fan_in)",
          setup: {
            $0.hidden = 50; $0.layers = 2
          }),
        Panel(
          title: "50 units, plain randn",
          setup: {
            $0.hidden = 50
            $0.layers = 2
            $0.weightInit = .unit
          }),
      ]),
    Card(
      name: "tanh-derivative",
      title: "Why is 1 − a1² tanh's derivative (a1, not z1)?",
      answer:
        "tanh'(z) = 1 − tanh²(z) and a1 = tanh(z1), so 1 − a1² is the derivative, reusing the a1 of the way forward. A reader's fix, 1 − np.power(z1, 2), turns negative and large wherever |z1| > 1: that run diverges within a few steps. The gradient check (v) shows the post's version agrees with finite differences.",
      panels: [
        Panel(title: "1 − a1² (the post)", setup: { _ in }),
        Panel(title: "1 − z1² (a reader's fix)", setup: { $0.training.misreading = .derivativeOfZ }),
      ]),
    Card(
      name: "delta3",
      title: "What does delta3[range(N), y] -= 1 do?",
      answer:
        "delta3 = probs − one-hot(y): in each row 1 is subtracted only in the column of the point's own class, so that entry, p − 1 < 0, pushes its probability up and the others push theirs down. Without the line the labels never reach the gradient: accuracy stays near 50% while the loss climbs; in the wrong column it learns the opposite classes. c shows the line row by row.",
      panels: [
        Panel(title: "-= 1 (the post)", setup: { _ in }),
        Panel(title: "without -= 1", setup: { $0.training.misreading = .noSubtraction }),
        Panel(title: "-= 1, wrong column", setup: { $0.training.misreading = .wrongColumn }),
      ], codeLine: .subtractOne),
    Card(
      name: "chaos",
      title: "Chaos: why can't hidden sizes 2 and 4 be reproduced?",
      answer:
        "At the post's step size, 2 and 4 units never settle: their loss keeps jumping. Each right panel starts from the left one's weights with one weight moved by its last bit, and they part within a few thousand steps.",
      panels: [
        Panel(title: "2 units", setup: { $0.hidden = 2 }),
        Panel(
          title: "2, 1 ulp off",
          setup: {
            $0.hidden = 2; $0.initialization.nudgesFirstWeight = true
          }),
        Panel(title: "4 units", setup: { $0.hidden = 4 }),
        Panel(
          title: "4, 1 ulp off",
          setup: {
            $0.hidden = 4; $0.initialization.nudgesFirstWeight = true
          }),
      ]),
  ]
}
