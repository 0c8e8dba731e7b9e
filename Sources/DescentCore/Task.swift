import Foundation

/// What the network learns: the post's classes (a softmax output, cross-entropy), or a real
/// number (one linear output, squared loss; the author's answer to a reader who asked how).
public enum LearningTask: String, CaseIterable, Sendable, Codable {
  case classification, regression

  /// Output units for data with `classes` classes.
  public func outputs(classes: Int) -> Int { self == .regression ? 1 : classes }

  /// The gradient when none is asked for: the post's sum for classes; the mean for regression,
  /// whose squared loss on the summed gradient of 200 points diverges at the post's epsilon.
  public var defaultGradient: GradientScale { self == .regression ? .mean : .sum }
}

extension Network {
  /// The prediction ŷ of each row of `X` (regression networks): the single linear output.
  public func predictions(_ X: Matrix) -> [Double] {
    precondition(task == .regression, "predictions are a regression network's output")
    return probabilities(X).storage
  }

  /// The root of the mean squared error, `sqrt(Σ (ŷ - y)² / N)`: regression's accuracy.
  public func rmse(on data: Dataset) -> Double {
    guard data.count > 0, let targets = data.targets else { return .nan }
    let yhat = predictions(data.X)
    var sum = 0.0
    for (p, t) in zip(yhat, targets) { sum += (p - t) * (p - t) }
    return (sum / Double(data.count)).squareRoot()
  }

  /// The data term of the loss, before the 1/N: `Σ -log p` of each row's own class, or
  /// `½ Σ (ŷ - y)²` for regression.
  func dataLoss(on data: Dataset) -> Double {
    let out = probabilities(data.X)
    var sum = 0.0
    switch task {
    case .classification:
      for (r, label) in data.y.enumerated() { sum += -log(out[r, label]) }
    case .regression:
      let targets = data.targets ?? [Double](repeating: 0, count: data.count)
      for r in 0..<data.count {
        let d = out.storage[r] - targets[r]
        sum += d * d
      }
      sum = 0.5 * sum
    }
    return sum
  }
}
