import Foundation

/// The built-in data sets.
public enum DatasetKind: String, CaseIterable, Sendable {
  case moons, circles, xor, blobs, spiral
  /// Regression: TensorFlow Playground's two, and a 1-D sine.
  case plane, gauss, sine

  /// Whether `classes` can be chosen (the others have exactly two).
  public var hasClassCount: Bool { self == .blobs || self == .spiral }

  /// The noise used when none is given: scikit-learn's default spread for blobs, none for the
  /// Playground's regression sets (as the Playground starts), 0.1 for the sine, 0.2 elsewhere.
  public var defaultNoise: Double {
    switch self {
    case .blobs: return 1.0
    case .plane, .gauss: return 0
    case .sine: return 0.1
    default: return 0.2
    }
  }

  /// Whether the points have classes or real targets.
  public var task: LearningTask {
    switch self {
    case .plane, .gauss, .sine: return .regression
    default: return .classification
    }
  }

  /// The data sets with classes, in order (what the dashboard's dataset knob steps through).
  public static let classification = allCases.filter { $0.task == .classification }

  /// The classes used when none are given: the spiral's three arms (CS231n's), two elsewhere.
  public var defaultClasses: Int { self == .spiral ? 3 : 2 }
}

extension Dataset {
  /// Generates a built-in data set from a freshly seeded generator, as `np.random.seed(seed)` then
  /// the scikit-learn (or CS231n) call would.
  public static func generate(
    _ kind: DatasetKind, samples: Int, noise: Double? = nil, classes: Int = 2, seed: UInt32
  ) -> Dataset {
    var rng = RandomState(seed: seed)
    let noise = noise ?? kind.defaultNoise
    switch kind {
    case .moons: return moons(samples, noise: noise, rng: &rng)
    case .circles: return circles(samples, noise: noise, rng: &rng)
    case .xor: return xor(samples, noise: noise, rng: &rng)
    case .blobs: return blobs(samples, centers: classes, std: noise, rng: &rng)
    case .spiral: return spiral(samples, arms: classes, noise: noise, rng: &rng)
    case .plane: return plane(samples, noise: noise, rng: &rng)
    case .gauss: return gauss(samples, noise: noise, rng: &rng)
    case .sine: return sine(samples, noise: noise, rng: &rng)
    }
  }

  /// `sklearn.datasets.make_moons(n, noise=noise)`: two interleaving half circles.
  public static func moons(_ n: Int, noise: Double, rng: inout RandomState) -> Dataset {
    let nOut = n / 2
    let nIn = n - nOut
    let tOut = linspace(0, Double.pi, nOut)
    let tIn = linspace(0, Double.pi, nIn)
    let xs = tOut.map { cos($0) } + tIn.map { 1 - cos($0) }
    let ys = tOut.map { sin($0) } + tIn.map { 1 - sin($0) - 0.5 }
    return shuffledWithNoise(xs: xs, ys: ys, nOut: nOut, noise: noise, rng: &rng)
  }

  /// `sklearn.datasets.make_circles(n, noise=noise, factor=0.8)`: a circle inside a circle.
  public static func circles(_ n: Int, noise: Double, factor: Double = 0.8, rng: inout RandomState)
    -> Dataset
  {
    let nOut = n / 2
    let nIn = n - nOut
    let tOut = linspace(0, 2 * Double.pi, nOut, endpoint: false)
    let tIn = linspace(0, 2 * Double.pi, nIn, endpoint: false)
    let xs = tOut.map { cos($0) } + tIn.map { cos($0) * factor }
    let ys = tOut.map { sin($0) } + tIn.map { sin($0) * factor }
    return shuffledWithNoise(xs: xs, ys: ys, nOut: nOut, noise: noise, rng: &rng)
  }

  /// The tail that `make_moons` and `make_circles` share: label, shuffle rows, add normal noise.
  private static func shuffledWithNoise(
    xs: [Double], ys: [Double], nOut: Int, noise: Double, rng: inout RandomState
  ) -> Dataset {
    let n = xs.count
    let labels = (0..<n).map { $0 < nOut ? 0 : 1 }
    let order = rng.permutation(n)
    var X = Matrix(rows: n, cols: 2)
    for (row, i) in order.enumerated() {
      X[row, 0] = xs[i]
      X[row, 1] = ys[i]
    }
    for i in 0..<X.storage.count { X.storage[i] += rng.normal(scale: noise) }
    return Dataset(X: X, y: order.map { labels[$0] }, classes: 2)
  }

  /// XOR: points uniform in the square [-1, 1]², class 1 where the signs of x and y differ,
  /// then normal noise added (the labels keep the quadrant the point was drawn in).
  public static func xor(_ n: Int, noise: Double, rng: inout RandomState) -> Dataset {
    var X = Matrix(rows: n, cols: 2)
    for i in 0..<X.storage.count { X.storage[i] = rng.uniform(-1, 1) }
    let y = (0..<n).map { (X[$0, 0] >= 0) == (X[$0, 1] >= 0) ? 0 : 1 }
    for i in 0..<X.storage.count { X.storage[i] += rng.normal(scale: noise) }
    return Dataset(X: X, y: y, classes: 2)
  }

  /// `sklearn.datasets.make_blobs(n, centers=k, cluster_std=std)`: centres uniform in [-10, 10]²,
  /// then each cluster normal around its centre, then the rows shuffled.
  public static func blobs(_ n: Int, centers k: Int, std: Double, rng: inout RandomState) -> Dataset {
    var centres = Matrix(rows: k, cols: 2)
    for i in 0..<centres.storage.count { centres.storage[i] = rng.uniform(-10, 10) }
    var X = Matrix(rows: n, cols: 2)
    var y = [Int](repeating: 0, count: n)
    var row = 0
    for c in 0..<k {
      let size = n / k + (c < n % k ? 1 : 0)
      for _ in 0..<size {
        X[row, 0] = rng.normal(centres[c, 0], scale: std)
        X[row, 1] = rng.normal(centres[c, 1], scale: std)
        y[row] = c
        row += 1
      }
    }
    return Dataset(X: X, y: y, classes: k).subset(rng.permutation(n))
  }

  /// CS231n's spiral: `k` arms, radius `linspace(0, 1)`, angle `linspace(4j, 4(j+1)) + noise * randn`.
  public static func spiral(_ n: Int, arms k: Int, noise: Double, rng: inout RandomState) -> Dataset {
    var X = Matrix(rows: n, cols: 2)
    var y = [Int](repeating: 0, count: n)
    var row = 0
    for j in 0..<k {
      let size = n / k + (j < n % k ? 1 : 0)
      let radius = linspace(0, 1, size)
      let angle = linspace(Double(j) * 4, Double(j + 1) * 4, size)
      for i in 0..<size {
        let t = angle[i] + rng.gauss() * noise
        X[row, 0] = radius[i] * sin(t)
        X[row, 1] = radius[i] * cos(t)
        y[row] = j
        row += 1
      }
    }
    return Dataset(X: X, y: y, classes: k)
  }
}

/// `np.linspace(start, stop, num, endpoint)`, rounding as numpy does: `i * step + start`, and the
/// last value set to `stop` exactly when the end point is included.
func linspace(_ start: Double, _ stop: Double, _ num: Int, endpoint: Bool = true) -> [Double] {
  guard num > 0 else { return [] }
  let div = endpoint ? num - 1 : num
  let delta = stop - start
  var values: [Double]
  if div > 0 {
    let step = delta / Double(div)
    if step == 0 {
      values = (0..<num).map { Double($0) / Double(div) * delta + start }
    } else {
      values = (0..<num).map { Double($0) * step + start }
    }
  } else {
    values = (0..<num).map { Double($0) * delta + start }
  }
  if endpoint && num > 1 { values[num - 1] = stop }
  return values
}
