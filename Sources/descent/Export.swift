import ArgumentParser
import Dashboard
import DescentCore
import Foundation

/// `descent export`: train headless, then write the dashboard's figure as an SVG.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Train without the dashboard and write the decision boundary, points and loss curve as an SVG.",
    discussion: "The same figure as e in the dashboard. An existing file is never overwritten.")

  @OptionGroup var options: SetupOptions

  @Option(help: "Write the figure to this SVG file (it must not exist yet).")
  var svg: String

  @Option(help: "Gradient descent iterations, 1 to 100000000.")
  var passes = RunSetup.postPasses

  @Option(help: "Colour theme: a name (see 'descent themes') or a path to a .toml file.")
  var theme = "projector"

  @Flag(help: "Draw the logistic-regression baseline's line too.")
  var baseline = false

  func validate() throws {
    if options.network.task == .regression {
      throw ValidationError("--task regression is trained by descent train and descent sweep; the SVG draws classes")
    }
    try require(passes, in: 1...100_000_000, "--passes")
    guard !FileManager.default.fileExists(atPath: svg) else {
      throw ValidationError("--svg: \(svg) already exists; choose another name or remove it first")
    }
  }

  func run() throws {
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
      guard trainer.step() else { throw Diverged(iteration: i, epsilon: trainer.config.epsilon) }
      // The post's numbering: the loss before update i is the line for iteration i - 1.
      if let loss = trainer.lossBeforeLastStep {
        if i > 0 { history.train.append(i - 1, loss) }
      } else if trainer.iteration % max(1, trainer.data.count / (setup.training.batchSize ?? trainer.data.count)) == 0 {
        history.train.append(i, trainer.loss())
      }
      if let test = trainer.testLoss(), i % 100 == 0 { history.test.append(i, test) }
    }
    history.train.append(passes - 1, trainer.loss())
    let fitted = baseline ? LogisticRegression.fitCV(trainer.data) : nil
    let settings = Settings(setup: setup)
    let snapshot = Snapshot.finished(trainer: trainer, history: history, settings: settings, baseline: fitted)
    let figure = SVGFigure(snapshot: snapshot, settings: settings, theme: colours, showBaseline: baseline)
    try AtomicFile.write(figure.render(), to: svg, replacing: false)
    print("wrote \(svg): loss \(fixed(snapshot.loss ?? .nan)), accuracy \(fixed(snapshot.accuracy ?? 0, 3))")
  }
}
