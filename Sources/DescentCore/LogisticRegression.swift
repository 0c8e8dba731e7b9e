import Foundation

/// The post's first classifier: L2-regularized logistic regression, a straight-line boundary.
///
/// Fitted to convergence by Newton's method on scikit-learn's objective,
/// `C · Σ log-loss + ½ ||w||²` (the intercept is not penalized): binary logistic for two classes,
/// multinomial (softmax) for more, as `LogisticRegression` does.
public struct LogisticRegression: Sendable, Equatable {
  /// One row per feature, one column per class score (a single column for two classes).
  public var weights: Matrix
  public var intercepts: [Double]
  public var classes: Int
  /// The inverse regularization strength the model was fitted with.
  public var C: Double
  /// What the model reads of each point, as a network's `features` (the post's: its coordinates).
  public var features = InputFeatures.raw

  /// The class probabilities of each row of `X`.
  public func probabilities(_ X: Matrix) -> Matrix {
    let X = features.expand(X)
    var out = Matrix(rows: X.rows, cols: classes)
    for r in 0..<X.rows {
      let scores = (0..<weights.cols).map { k in
        (0..<X.cols).reduce(intercepts[k]) { $0 + X[r, $1] * weights[$1, k] }
      }
      if classes == 2 {
        let p = 1 / (1 + exp(-scores[0]))
        out[r, 0] = 1 - p
        out[r, 1] = p
      } else {
        let top = scores.max()!
        let e = scores.map { exp($0 - top) }
        let sum = e.reduce(0, +)
        for k in 0..<classes { out[r, k] = e[k] / sum }
      }
    }
    return out
  }

  /// The most probable class of each row.
  public func predict(_ X: Matrix) -> [Int] {
    let probs = probabilities(X)
    return (0..<X.rows).map { r in (0..<classes).max { probs[r, $0] < probs[r, $1] }! }
  }

  /// The most probable class at a point of the plane (two-feature models), without allocating.
  public func predict(x: Double, y: Double) -> Int {
    guard features.isRaw else { return predict(Matrix(rows: 1, cols: 2, storage: [x, y]))[0] }
    func score(_ k: Int) -> Double { intercepts[k] + x * weights[0, k] + y * weights[1, k] }
    if classes == 2 { return score(0) > 0 ? 1 : 0 }
    var best = 0
    for k in 1..<classes where score(k) > score(best) { best = k }
    return best
  }

  public func accuracy(on data: Dataset) -> Double {
    guard data.count > 0 else { return 0 }
    return Double(zip(predict(data.X), data.y).filter { $0 == $1 }.count) / Double(data.count)
  }

  /// Fits with a fixed C.
  public static func fit(_ data: Dataset, C: Double) -> LogisticRegression {
    let d = data.features
    let columns = data.classes == 2 ? 1 : data.classes
    let width = d + 1  // features, then the intercept
    var theta = [Double](repeating: 0, count: width * columns)

    let objective = Objective(data: data, C: C, columns: columns)
    func evaluate(_ theta: [Double], needsHessian: Bool) -> (Double, [Double], [[Double]]) {
      let f = objective.evaluate(theta, needsHessian: needsHessian)
      let P = theta.count
      let H = needsHessian ? (0..<P).map { i in Array(objective.H[i * P..<(i + 1) * P]) } : []
      return (f, objective.g, H)
    }

    for _ in 0..<200 {
      let (f, g, H) = evaluate(theta, needsHessian: true)
      if g.map(abs).max()! <= 1e-10 * max(1, abs(f)) { break }
      guard let direction = solve(H, g.map { -$0 }) else { break }
      let slope = zip(g, direction).reduce(0) { $0 + $1.0 * $1.1 }
      var t = 1.0
      var improved = false
      while t > 1e-12 {
        let candidate = zip(theta, direction).map { $0 + t * $1 }
        if evaluate(candidate, needsHessian: false).0 <= f + 1e-4 * t * slope {
          theta = candidate
          improved = true
          break
        }
        t /= 2
      }
      if !improved { break }
    }

    var weights = Matrix(rows: d, cols: columns)
    var intercepts = [Double](repeating: 0, count: columns)
    for k in 0..<columns {
      for a in 0..<d { weights[a, k] = theta[k * width + a] }
      intercepts[k] = theta[k * width + d]
    }
    return LogisticRegression(weights: weights, intercepts: intercepts, classes: data.classes, C: C)
  }

  /// scikit-learn's objective for a fixed C, its gradient and its Hessian, summed over the points
  /// in one pass that allocates nothing per point (20,000 points took 80 s with arrays made for
  /// every point and every evaluation). The sums are taken in the same order as before.
  private final class Objective {
    let data: Dataset
    let C: Double
    let columns: Int
    let width: Int
    let P: Int
    /// The gradient, and the Hessian row-major, as left by the last `evaluate`.
    var g: [Double] { Array(UnsafeBufferPointer(start: gradient, count: P)) }
    var H: [Double] { Array(UnsafeBufferPointer(start: hessian, count: P * P)) }
    private let gradient: UnsafeMutablePointer<Double>
    private let hessian: UnsafeMutablePointer<Double>
    /// One point with a 1 for the intercept, its scores, probabilities and residuals.
    private let x: UnsafeMutablePointer<Double>
    private let z: UnsafeMutablePointer<Double>
    private let p: UnsafeMutablePointer<Double>
    private let residual: UnsafeMutablePointer<Double>

    init(data: Dataset, C: Double, columns: Int) {
      self.data = data
      self.C = C
      self.columns = columns
      width = data.features + 1
      P = width * columns
      gradient = .allocate(capacity: P)
      hessian = .allocate(capacity: P * P)
      x = .allocate(capacity: width)
      x.initialize(repeating: 1, count: width)
      z = .allocate(capacity: columns)
      p = .allocate(capacity: columns)
      residual = .allocate(capacity: columns)
    }

    deinit {
      for buffer in [gradient, hessian, x, z, p, residual] { buffer.deallocate() }
    }

    /// The objective at θ; leaves the gradient in `g` and, when asked, the Hessian in `H`.
    func evaluate(_ theta: [Double], needsHessian: Bool) -> Double {
      let (P, d, width, columns, C) = (P, data.features, width, columns, C)
      let (g, H, x, z, p, residual) = (gradient, hessian, x, z, p, residual)
      var f = 0.0
      g.update(repeating: 0, count: P)
      if needsHessian { H.update(repeating: 0, count: P * P) }
      data.X.storage.withUnsafeBufferPointer { X in
        theta.withUnsafeBufferPointer { theta in
          data.y.withUnsafeBufferPointer { y in
            for r in 0..<data.count {
              for c in 0..<d { x[c] = X[r * d + c] }
              for k in 0..<columns {
                var sum = 0.0
                for a in 0..<width { sum = sum + x[a] * theta[k * width + a] }
                z[k] = sum
              }
              let label = y[r]
              if columns == 1 {
                let s = label == 1 ? 1.0 : -1.0
                // log(1 + exp(-s z)), computed without overflow
                let m = -s * z[0]
                f += C * (m > 0 ? m + log1p(exp(-m)) : log1p(exp(m)))
                p[0] = 1 / (1 + exp(-z[0]))
                residual[0] = p[0] - (label == 1 ? 1 : 0)
              } else {
                var top = z[0]
                for k in 1..<columns where z[k] > top { top = z[k] }
                var sum = 0.0
                for k in 0..<columns {
                  p[k] = exp(z[k] - top)
                  sum = sum + p[k]
                }
                for k in 0..<columns { p[k] = p[k] / sum }
                f += C * (log(sum) + top - z[label])
                for k in 0..<columns { residual[k] = p[k] - (k == label ? 1 : 0) }
              }
              for k in 0..<columns {
                for a in 0..<width { g[k * width + a] += C * residual[k] * x[a] }
              }
              guard needsHessian else { continue }
              for k in 0..<columns {
                for l in 0..<columns {
                  let w = columns == 1 ? p[0] * (1 - p[0]) : p[k] * ((k == l ? 1 : 0) - p[l])
                  if w == 0 { continue }
                  for a in 0..<width {
                    let row = (k * width + a) * P + l * width
                    for b in 0..<width { H[row + b] += C * w * x[a] * x[b] }
                  }
                }
              }
            }
          }
        }
      }
      for k in 0..<columns {
        for a in 0..<d {
          let i = k * width + a
          f += 0.5 * theta[i] * theta[i]
          g[i] += theta[i]
          if needsHessian { H[i * P + i] += 1 }
        }
        // The softmax is unchanged by shifting every intercept: keep the system solvable.
        if needsHessian { H[(k * width + d) * P + k * width + d] += 1e-12 }
      }
      return f
    }
  }

  /// `LogisticRegressionCV()`: C chosen from `logspace(-4, 4, 10)` by the mean accuracy of
  /// 5-fold stratified cross-validation (the first best on a tie), then refitted on all the data.
  /// `fitCV` on the points' `features` (x1², x2² make the circles separable by a straight line).
  /// `progress` is told after each fit how many of the `fits(folds:)` are done.
  /// Above `limit` points, fitted to that many rows spread evenly over the data.
  public static func fitCV(
    _ data: Dataset, features: InputFeatures, folds: Int = 5, limit: Int = pointLimit,
    progress: (Int) -> Void = { _ in }
  ) -> LogisticRegression {
    var model = fitCV(features.expand(limited(data, to: limit)), folds: folds, progress: progress)
    model.features = features
    return model
  }

  /// The most points the baseline is fitted to: its 51 Newton fits take about 15 s of a core on
  /// 20,000 points (release build), and grow with the points.
  public static let pointLimit = 20_000

  /// The points fitted: all of them up to `limit`, else that many rows spread evenly over the
  /// data (every fifth of 100,000).
  public static func limited(_ data: Dataset, to limit: Int = pointLimit) -> Dataset {
    guard data.count > limit else { return data }
    return data.subset((0..<limit).map { $0 * data.count / limit })
  }

  /// The fits `fitCV` makes: one per candidate C and fold, and the final one.
  public static func fits(folds: Int = 5) -> Int { candidateCs.count * folds + 1 }

  private static let candidateCs = (0..<10).map { pow(10, -4 + 8 * Double($0) / 9) }

  public static func fitCV(_ data: Dataset, folds: Int = 5, progress: (Int) -> Void = { _ in }) -> LogisticRegression {
    let candidates = candidateCs
    let fold = stratifiedFolds(data.y, folds: folds)
    var best = (C: candidates[0], score: -1.0)
    var done = 0
    for C in candidates {
      var total = 0.0
      for k in 0..<folds {
        let trainRows = fold.indices.filter { fold[$0] != k }
        let testRows = fold.indices.filter { fold[$0] == k }
        let model = fit(data.subset(trainRows), C: C)
        total += model.accuracy(on: data.subset(testRows))
        done += 1
        progress(done)
      }
      if total / Double(folds) > best.score { best = (C, total / Double(folds)) }
    }
    let model = fit(data, C: best.C)
    progress(done + 1)
    return model
  }

  /// scikit-learn's `StratifiedKFold(folds)` without shuffling: the fold of each point.
  static func stratifiedFolds(_ y: [Int], folds: Int) -> [Int] {
    // Classes numbered by order of appearance, as scikit-learn encodes them.
    var code: [Int: Int] = [:]
    for label in y where code[label] == nil { code[label] = code.count }
    let encoded = y.map { code[$0]! }
    let sorted = encoded.sorted()
    var allocation = [[Int]](repeating: [Int](repeating: 0, count: code.count), count: folds)
    for (i, label) in sorted.enumerated() { allocation[i % folds][label] += 1 }
    var fold = [Int](repeating: 0, count: y.count)
    for k in 0..<code.count {
      let blocks = (0..<folds).flatMap { f in [Int](repeating: f, count: allocation[f][k]) }
      for (slot, i) in encoded.indices.filter({ encoded[$0] == k }).enumerated() { fold[i] = blocks[slot] }
    }
    return fold
  }
}

/// Solves `A x = b` by Gaussian elimination with partial pivoting; nil if A is singular.
func solve(_ A: [[Double]], _ b: [Double]) -> [Double]? {
  let n = b.count
  var M = A
  var x = b
  for col in 0..<n {
    let pivot = (col..<n).max { abs(M[$0][col]) < abs(M[$1][col]) }!
    guard abs(M[pivot][col]) > 1e-300 else { return nil }
    M.swapAt(col, pivot)
    x.swapAt(col, pivot)
    for row in col + 1..<n {
      let factor = M[row][col] / M[col][col]
      if factor == 0 { continue }
      for c in col..<n { M[row][c] -= factor * M[col][c] }
      x[row] -= factor * x[col]
    }
  }
  for row in stride(from: n - 1, through: 0, by: -1) {
    var sum = x[row]
    for c in row + 1..<n { sum -= M[row][c] * x[c] }
    x[row] = sum / M[row][row]
  }
  return x
}
