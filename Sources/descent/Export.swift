import ArgumentParser
import Dashboard
import DescentCore
import Foundation

/// `descent export`: train headless, then write the dashboard's figure as an SVG.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract:
      "Train without the dashboard and write the decision boundary, points and loss curve as an SVG; or write the post's Python for this setup.",
    discussion: """
      --svg: the same figure as e in the dashboard. --python: a numpy and scikit-learn script of the post's code \
      for these options that prints the same lines as descent train. An existing file is never overwritten.
      """)

  @OptionGroup var options: SetupOptions

  @Option(help: "Write the figure to this SVG file (it must not exist yet).")
  var svg: String?

  @Option(help: "Write the post's code for this setup to this Python file (it must not exist yet).")
  var python: String?

  @Option(help: "With --python: the script prints the loss every K iterations, as descent train --print-every.")
  var printEvery = 1000

  @Option(help: "Gradient descent iterations, 1 to 100000000.")
  var passes = RunSetup.postPasses

  @Option(help: "Colour theme: a name (see 'descent themes') or a path to a .toml file.")
  var theme = "projector"

  @Flag(help: "Draw the logistic-regression baseline's line too.")
  var baseline = false

  func validate() throws {
    if baseline && options.network.task == .regression {
      throw ValidationError("--baseline draws a logistic regression, which classifies; drop it for --task regression")
    }
    try require(passes, in: 1...100_000_000, "--passes")
    try require(printEvery, in: 0...100_000_000, "--print-every")
    guard svg != nil || python != nil else {
      throw ValidationError("give --svg FILE (the figure) or --python FILE (the post's code), or both")
    }
    for (option, path) in [("--svg", svg), ("--python", python)] {
      if let path, FileManager.default.fileExists(atPath: path) {
        throw ValidationError("\(option): \(path) already exists; choose another name or remove it first")
      }
    }
    if python != nil && options.initialModel != nil {
      throw ValidationError("--python writes a script that starts from random weights; drop --init")
    }
  }

  func run() throws {
    // Every output is checked before any work starts.
    if let svg { try AtomicFile.checkWritable(svg, option: "--svg", replacing: false) }
    if let python { try AtomicFile.checkWritable(python, option: "--python", replacing: false) }
    if let python {
      let setup = options.setup
      if let unsupported = PythonScript.unsupported(setup) { throw InputError("--python: \(unsupported)") }
      _ = try setup.loadData()  // a missing or bad CSV is reported now, not by the script
      try AtomicFile.write(
        PythonScript.make(setup, passes: passes, printEvery: printEvery), to: python, replacing: false)
      print(
        "wrote \(python): python3 \(python) prints what \(PythonScript.trainCommand(setup, passes: passes, printEvery: printEvery)) prints"
      )
    }
    guard let svg else { return }
    let colours: Theme
    do throws(ThemeProblems) {
      colours = try ThemeCatalog.load(theme)
    } catch {
      throw InputError("--theme: \(error.problems[0])")
    }
    let setup = options.setup
    let trainer = try setup.makeTrainer()
    trainer.measuresLoss = true
    var history = LossHistory()
    for i in 0..<passes {
      guard trainer.step() else { throw Diverged(iteration: i, trainer: trainer) }
      // The post's numbering: the loss before update i is the line for iteration i - 1.
      if let loss = trainer.lossBeforeLastStep {
        if i > 0 { history.train.append(i - 1, loss) }
      } else if trainer.iteration % max(1, trainer.data.count / (setup.training.batchSize ?? trainer.data.count)) == 0 {
        history.train.append(i, trainer.loss())
      }
      if let test = trainer.testLoss(), i % 100 == 0 { history.test.append(i, test) }
    }
    guard trainer.loss().isFinite else { throw Diverged(iteration: passes - 1, trainer: trainer) }
    history.train.append(passes - 1, trainer.loss())
    let fitted = baseline ? LogisticRegression.fitCV(trainer.data, features: setup.features) : nil
    let settings = Settings(setup: setup)
    let snapshot = Snapshot.finished(trainer: trainer, history: history, settings: settings, baseline: fitted)
    let figure = SVGFigure(snapshot: snapshot, settings: settings, theme: colours, showBaseline: baseline)
    try AtomicFile.write(figure.render(), to: svg, replacing: false)
    try Output.line("wrote \(svg): loss \(fixed(snapshot.loss ?? .nan)), \(score(trainer.network, on: trainer.data))")
  }
}
