import ArgumentParser
import DescentCore

/// `descent baseline`: the post's first classifier, logistic regression.
struct Baseline: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Fit the post's logistic regression baseline (LogisticRegressionCV) and print its accuracy.")

  @OptionGroup(title: "Data") var data: DataOptions

  func run() throws {
    var setup = RunSetup()
    data.apply(to: &setup)
    let (train, test) = try setup.loadData()
    let model = LogisticRegression.fitCV(train)
    var line = "Logistic regression (C = \(fixed(model.C, 4)), chosen by 5-fold cross-validation): "
    line += "training accuracy \(fixed(model.accuracy(on: train), 3))"
    if let test { line += ", test accuracy \(fixed(model.accuracy(on: test), 3))" }
    print(line)
  }
}
