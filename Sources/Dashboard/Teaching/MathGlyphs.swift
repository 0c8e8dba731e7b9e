/// The mathematical characters the teaching views write, in one place so a terminal without
/// UTF-8 can be given the ASCII set.
public struct MathGlyphs: Sendable, Equatable {
  public var reals, times, transpose, hadamard, dot, sum, element, partial, minus, squared, hat, cursor, arrow,
    lambda: String
  /// For the optimizers' rules and dropout: `θ ← θ − ε g`, `1[u ≥ p]`.
  public var theta = "θ", larrow = "←", epsilon = "ε", mu = "μ", beta = "β", geq = "≥", half = "½"

  /// Plain Unicode: `W1 ∈ ℝ^{2×3}`, `δ·Wᵀ ∘ (1 − a²)`.
  public static let unicode = MathGlyphs(
    reals: "ℝ", times: "×", transpose: "ᵀ", hadamard: "∘", dot: "·", sum: "Σ", element: "∈", partial: "∂",
    minus: "−", squared: "²", hat: "ŷ", cursor: "▸", arrow: "→", lambda: "λ")
  /// Seven-bit ASCII: `W1 in R^{2x3}`, `d.W^T * (1 - a^2)`.
  public static let ascii = MathGlyphs(
    reals: "R", times: "x", transpose: "^T", hadamard: "*", dot: ".", sum: "sum", element: "in", partial: "d",
    minus: "-", squared: "^2", hat: "y_hat", cursor: ">", arrow: "->", lambda: "lambda", theta: "theta",
    larrow: "<-", epsilon: "epsilon", mu: "mu", beta: "beta", geq: ">=", half: "1/2")

  /// `R^{2x3}`-style shape.
  func space(_ rows: Int, _ cols: Int) -> String { "\(reals)^{\(rows)\(times)\(cols)}" }
  /// `200×3`.
  func shape(_ rows: Int, _ cols: Int) -> String { "\(rows)\(times)\(cols)" }
}
