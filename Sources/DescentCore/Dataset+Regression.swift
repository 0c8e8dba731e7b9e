import Foundation

/// The regression data sets: TensorFlow Playground's `regressPlane` and `regressGaussian`
/// (`dataset.ts`, with numpy's `random_sample` for `Math.random` and d3's linear scale
/// `a·(1-t) + b·t` written out), and a 1-D sine.
extension Dataset {
  /// The Playground's `randUniform(a, b)`: `random() · (b - a) + a`.
  private static func randUniform(_ a: Double, _ b: Double, _ rng: inout RandomState) -> Double {
    rng.randomSample() * (b - a) + a
  }

  /// Points uniform in [-6, 6]² whose target is `x + y` scaled from [-10, 10] to [-1, 1], read at
  /// the point moved by `noise` times a uniform draw in [-6, 6] on each axis.
  public static func plane(_ n: Int, noise: Double, rng: inout RandomState) -> Dataset {
    playgroundRegression(n, noise: noise, rng: &rng) { x, y in
      let t = (x + y - -10) / 20
      return -1 * (1 - t) + 1 * t
    }
  }

  /// Points uniform in [-6, 6]² whose target comes from six Gaussian bumps of sign ±1 at
  /// (±4 or 0, ±2.5): the bump largest in size, each `1 - d/2` clamped to [0, 1] at distance d.
  public static func gauss(_ n: Int, noise: Double, rng: inout RandomState) -> Dataset {
    let bumps: [(Double, Double, Double)] = [
      (-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1),
    ]
    return playgroundRegression(n, noise: noise, rng: &rng) { x, y in
      var label = 0.0
      for (cx, cy, sign) in bumps {
        let (dx, dy) = (x - cx, y - cy)
        let t = min(1, max(0, ((dx * dx + dy * dy).squareRoot() - 0) / 2))
        let value = sign * (1 * (1 - t) + 0 * t)
        if abs(value) > abs(label) { label = value }
      }
      return label
    }
  }

  /// The Playground's loop: for each point x, y, then the two noise draws, then the label.
  private static func playgroundRegression(
    _ n: Int, noise: Double, rng: inout RandomState, label: (Double, Double) -> Double
  ) -> Dataset {
    let radius = 6.0
    var X = Matrix(rows: n, cols: 2)
    var targets = [Double](repeating: 0, count: n)
    for i in 0..<n {
      let x = randUniform(-radius, radius, &rng)
      let y = randUniform(-radius, radius, &rng)
      let noiseX = randUniform(-radius, radius, &rng) * noise
      let noiseY = randUniform(-radius, radius, &rng) * noise
      X[i, 0] = x
      X[i, 1] = y
      targets[i] = label(x + noiseX, y + noiseY)
    }
    return Dataset(X: X, targets: targets)
  }

  /// One input: x uniform in [-3, 3] (`random_sample(n) · 6 + -3`), target `sin(x)` plus normal
  /// noise of deviation `noise` (`normal(scale=noise, size=n)`, drawn after every x).
  public static func sine(_ n: Int, noise: Double, rng: inout RandomState) -> Dataset {
    var X = Matrix(rows: n, cols: 1)
    for i in 0..<n { X.storage[i] = rng.randomSample() * 6 + -3 }
    let targets = X.storage.map { sin($0) + rng.normal(scale: noise) }
    return Dataset(X: X, targets: targets)
  }
}
