import ArgumentParser
import Foundation
import DescentCore

/// `descent baseline`: the post's first classifier, logistic regression.
struct Baseline: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Fit the post's logistic regression baseline (LogisticRegressionCV) and print its accuracy.")

  @OptionGroup(title: "Data") var data: DataOptions

  @Option(help: "Input features, as for the network: x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2 (default x1,x2).")
  var features: String?

  func validate() throws {
    if let features { _ = try parseFeatures(features) }
    if data.dataset.task == .regression && data.data == nil {
      throw ValidationError("--dataset \(data.dataset.rawValue) is for regression; the baseline classifies")
    }
  }

  func run() throws {
    var setup = RunSetup()
    data.apply(to: &setup)
    setup.features = try features.map(parseFeatures) ?? .raw
    let (train, test) = try setup.loadData()
    // The same features as the network's: a linear model on x1², x2² fits the circles.
    var progress = ProgressLine(what: "fitting logistic regression", total: LogisticRegression.fits())
    let model = LogisticRegression.fitCV(train, features: setup.features) { progress.show($0) }
    progress.finish()
    let fitted = LogisticRegression.limited(train).count
    let on =
      fitted < train.count ? " on \(fitted.formatted()) of the \(train.count.formatted()) points, evenly spread" : ""
    var line = "Logistic regression (C = \(fixed(model.C, 4)), chosen by 5-fold cross-validation\(on)): "
    line += "training accuracy \(fixed(model.accuracy(on: train), 3))"
    if let test { line += ", test accuracy \(fixed(model.accuracy(on: test), 3))" }
    print(line)
  }
}
