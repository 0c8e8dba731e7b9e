import DescentCore
import Dispatch

/// The trainer thread's state: the core's `Trainer`, the loss history, pacing and the state
/// machine (running, paused, diverged, done). Lives on the trainer thread only.
struct Engine {
  enum Next {
    /// Nothing to do until a command arrives.
    case wait
    /// Paced: the next iteration is due then.
    case sleep(DispatchTime)
    /// Iterations ran; post a snapshot if `publish`.
    case ran(publish: Bool)
    /// Stopped at the iteration a hold asked for, until the hold moves.
    case held
  }

  /// The settings trained with: the screen's, as last sent.
  private(set) var settings: Settings
  private var train: Dataset
  private var test: Dataset?
  /// Counts changes to the data, so the baseline is fitted again only when it changes.
  private var dataVersion = 0
  /// Whether points were added or removed by hand since the data was made.
  private var edited = false
  /// The plotted region, made when the data is (re)made and widened only by points outside it.
  private var bounds: PlotBounds
  /// A sweep panel's own hidden size, kept whatever settings arrive.
  private let panel: PanelRule?
  private var showsBaseline = false
  /// What the code view or the inspector asks to be taken apart, and the last answer.
  var traceRequest: TraceRequest?
  var traced: TraceReply?
  private let fitter: BaselineFitter
  private var trainer: Trainer
  private var run = 0
  private(set) var state: TrainingState
  private(set) var history = LossHistory()
  /// Every loss of the session for loss.csv (not kept for the sweep's panels), and the rows not
  /// handed to it yet.
  let lossLog: LossLog?
  private var pendingTrain: [LossLog.Row] = []
  private var pendingTest: [LossLog.Row] = []
  /// The newest (run, iteration) with a training loss, so a loss is recorded once.
  private var lastRecorded = (run: -1, iteration: -1)
  /// Iterations over the whole session, across restarts: the loss chart's x axis.
  private var clock = 0
  private var boundary: Network
  private var boundaryIteration = 0
  private var stepsRequested = 0
  /// The run stops (`done`) at this iteration.
  private var limit: Int
  private var pacer = Pacer()
  private var lastPublish: UInt64 = 0
  private var statistics = RunStatistics()
  /// The last regions worked out, and what they were worked out from.
  private var regions: (key: PictureKey<RegionSize>, layer: BoundaryLayer, points: PointCells)?
  /// The last figure worked out for a side view, and what it was worked out from.
  private var figure: (key: PictureKey<FigureRequest>, figure: Figure?)?
  /// Run no further than this iteration of the session (`Command.hold`).
  private var holdAt: Int?
  /// How many holds were asked for: a snapshot at a hold says which one it answers.
  private(set) var holds = 0
  /// Whether the iterations may go on: not stopped by a hold.
  private var free: Bool { clock < (holdAt ?? .max) }

  static let publishInterval: UInt64 = 33_000_000
  static let chunk: UInt64 = 8_000_000

  /// `wake` is called from another thread when there is news to post (a fitted baseline).
  init(
    settings: Settings, train: Dataset, test: Dataset?, paused: Bool, panel: PanelRule? = nil,
    wake: @escaping @Sendable () -> Void = {}
  ) throws {
    fitter = BaselineFitter(done: wake)
    lossLog = panel == nil ? LossLog() : nil
    let settings = panel?.applied(to: settings) ?? settings
    self.settings = settings
    self.train = train
    self.test = test
    self.panel = panel
    bounds = PlotBounds(train, test: test)
    trainer = try settings.setup.makeTrainer(train: train, test: test)
    trainer.measuresLoss = true
    trainer.parallel = false  // the other core draws the frames (measured: see restart)
    boundary = trainer.network
    limit = settings.passes
    state = paused ? .paused : .running
  }

  mutating func apply(_ command: Command) {
    switch command {
    case .apply(let settings, let label):
      change(to: settings, label: label)
    case .addPoint(let x, let y, let label):
      guard train.features == 2, label >= 0, label < trainer.network.classes else { break }
      edit(train.adding(x: x, y: y, label: label))
    case .removePoint(let index, let version):
      guard version == dataVersion, train.count > 1, (0..<train.count).contains(index) else { break }
      edit(train.removing(index))
    case .showBaseline(let on):
      showsBaseline = on
    case .trace(let request):
      traceRequest = request
      if request == nil { traced = nil }
    case .pause:
      if state == .running {
        state = .paused
        showCurrentBoundary()
      }
    case .resume:
      if state == .paused || state == .done {
        if state == .done { limit = trainer.iteration + settings.passes }
        state = .running
        // Steps asked for at a hold, not taken yet: running takes their place, and a later pause
        // must not take them.
        stepsRequested = 0
        pacer.restart()
      }
    case .step:
      switch state {
      case .running:
        state = .paused
        showCurrentBoundary()
      case .paused, .done: stepsRequested += 1
      case .diverged: break
      }
    case .reset:
      restart(label: "reset")
    case .hold(let at):
      holdAt = at
      holds += 1
    }
  }

  /// New settings: what changed decides, by the knob table, between a new run and a live change.
  private mutating func change(to new: Settings, label: String?) {
    let new = panel?.applied(to: new) ?? new
    let old = settings
    settings = new
    let change = SettingsChange(from: old, to: new, label: label, edited: edited)
    if change.newData {
      do {
        (train, test) = try new.setup.loadData()
        bounds = PlotBounds(train, test: test)
        dataVersion += 1
        edited = false
      } catch {
        settings.setup.source = old.setup.source  // the file went away: keep the points we have
      }
    }
    if let label = change.restart {
      restart(label: label)
      return
    }
    for knob in change.live {
      if let marker = knob.marker(new) { history.mark(clock, marker) }
    }
    if new.speed != old.speed { pacer.restart() }
    guard new.setup.training != old.setup.training else { return }
    trainer.config = new.setup.training
    if case .diverged = state { restart(label: nil) }
  }

  /// Training carries on, from the same parameters, on edited data.
  private mutating func edit(_ data: Dataset) {
    train = data
    bounds = bounds.including(data)
    dataVersion += 1
    edited = true
    trainer = trainer.continuing(on: data)
    if state == .done { state = .paused }
    showCurrentBoundary()
  }

  /// A fresh trainer on the current settings, from iteration 0, marked on the chart.
  private mutating func restart(label: String?) {
    if let fresh = try? settings.setup.makeTrainer(train: train, test: test) {
      trainer = fresh
    } else {
      // The saved model cannot be read any more, or the features do not fit a file's columns.
      settings.setup.initialModel = nil
      if (try? settings.setup.makeTrainer(train: train, test: test)) == nil { settings.setup.features = .raw }
      trainer = try! settings.setup.makeTrainer(train: train, test: test)
    }
    trainer.measuresLoss = true
    // One core trains, the other draws: with both training, 10,000 points x 100 units ran 255 it/s
    // instead of 137 but frames took up to 20 ms at 200x60 (p99) instead of 10.
    trainer.parallel = false
    run += 1
    history.runStart = clock
    if let label { history.mark(clock, label) }
    if state != .paused { state = .running }
    limit = settings.passes
    stepsRequested = 0
    showCurrentBoundary()
    pacer.restart()
  }

  private mutating func showCurrentBoundary() {
    boundary = trainer.network
    boundaryIteration = trainer.iteration
  }

  /// Does the next piece of work.
  mutating func next() -> Next {
    if !free { return .held }
    switch state {
    case .diverged:
      return .wait
    case .paused, .done:
      guard stepsRequested > 0 else { return .wait }
      stepsRequested -= 1
      if state == .done { state = .paused }
      runOne()
      if state == .paused || state == .done { showCurrentBoundary() }
      return .ran(publish: true)
    case .running:
      break
    }
    if settings.speed.isFinite {
      let time = Pacer.now
      let (wait, owed) = pacer.due(speed: settings.speed, at: time)
      if let wait { return .sleep(wait) }
      // What is owed, but never more than a chunk of time: commands (and a stop) wait no longer.
      var ran = 0
      repeat {
        runOne()
        ran += 1
      } while ran < owed && state == .running && free && Pacer.now - time < Self.chunk
      pacer.ran(ran)
      return .ran(publish: settings.speed <= 60 || time - lastPublish >= Self.publishInterval)
    }
    // As fast as it goes, a chunk of time at a time (the clock read costs ~1% of a small step).
    let start = Pacer.now
    repeat { runOne() } while state == .running && free && Pacer.now - start < Self.chunk
    return .ran(publish: Pacer.now - lastPublish >= Self.publishInterval || state != .running || !free)
  }

  /// One iteration, with its bookkeeping: the loss curve, the boundary, divergence and the end.
  private mutating func runOne() {
    let finite = trainer.step()
    clock += 1
    if let loss = trainer.lossBeforeLastStep {
      // The loss before this update is the post's line for the one before it (a run's starting
      // loss, before its first update, has no line in the post).
      if trainer.iteration >= 2 { record(loss, iteration: trainer.iteration - 2, clock: clock - 2) }
      if !loss.isFinite {
        state = .diverged(at: trainer.iteration - 1)
        return
      }
    } else if trainer.iteration % max(1, train.count / (trainer.config.batchSize ?? train.count)) == 0 {
      record(trainer.loss(), iteration: trainer.iteration - 1, clock: clock - 1)  // minibatches: once an epoch
    }
    guard finite else {
      state = .diverged(at: trainer.iteration - 1)
      return
    }
    // The test loss every 16th iteration (a forward pass over the test points: a sixteenth of a
    // step's cost or less), so that it is a line at any speed, not a few points a second.
    if test != nil, (trainer.iteration - 1) % Self.testEvery == 0, let loss = trainer.testLoss(), loss.isFinite {
      history.test.append(clock - 1, loss)
      if lossLog != nil { pendingTest.append(LossLog.Row(run: run, iteration: trainer.iteration - 1, loss: loss)) }
    }
    if (trainer.iteration - 1) % settings.redrawEvery == 0 {  // after iterations 0, 100, 200, …
      boundary = trainer.network
      boundaryIteration = trainer.iteration
    }
    if trainer.iteration >= limit {
      state = .done
      showCurrentBoundary()
    }
  }

  static let testEvery = 16

  /// What the screen shows of the network, for the trainer to work out: the regions at a plot
  /// size, and a side view's figure.
  struct Shown: Equatable {
    var regions: RegionSize?
    var figure: FigureRequest?
  }

  // What the trace reads (Trace.swift).
  var boundaryNetwork: Network { boundary }
  var boundaryIterationShown: Int { boundaryIteration }
  var currentRun: Int { run }
  var currentDataVersion: Int { dataVersion }
  var currentTrainer: Trainer { trainer }
  var trainingData: Dataset { train }
  var testData: Dataset? { test }

  /// A training loss, on the chart (at the session's iteration) and in the log (at the run's).
  private mutating func record(_ loss: Double, iteration: Int, clock: Int) {
    guard (run, iteration) > lastRecorded else { return }
    lastRecorded = (run, iteration)
    history.train.append(clock, loss)
    if lossLog != nil && loss.isFinite { pendingTrain.append(LossLog.Row(run: run, iteration: iteration, loss: loss)) }
  }

  /// What a picture of the boundary network (its regions, a side view's figure) depends on: the
  /// network, the points, the plotted region and what the screen asked for.
  private struct PictureKey<Asked: Equatable>: Equatable {
    var run: Int
    var iteration: Int
    var data: Int
    var bounds: PlotBounds
    var asked: Asked
  }

  private func key<Asked>(_ asked: Asked) -> PictureKey<Asked> {
    PictureKey(run: run, iteration: boundaryIteration, data: dataVersion, bounds: bounds, asked: asked)
  }

  /// Whether a snapshot now would carry regions or a figure other than the last ones posted:
  /// the screen asked for another size or another figure.
  func outdated(for shown: Shown) -> Bool {
    if let size = shown.regions, regions?.key.asked != size { return true }
    if let request = shown.figure, figure?.key.asked != request { return true }
    return false
  }

  /// The figure asked for, of the boundary network, kept until the network, the points or the
  /// request change.
  private mutating func figure(for request: FigureRequest?) -> Figure? {
    guard let request else { return nil }
    let wanted = key(request)
    if let figure, figure.key == wanted { return figure.figure }
    let made = Figure(request, network: boundary, data: train, bounds: bounds)
    figure = (wanted, made)
    return made
  }

  /// The regions of the boundary network for a plot of `size`, and the points one a cell, kept
  /// until the network, the points or the size change.
  private mutating func regions(for size: RegionSize?) -> (layer: BoundaryLayer, points: PointCells)? {
    guard let size else { return nil }
    let wanted = key(size)
    if let regions, regions.key == wanted { return (regions.layer, regions.points) }
    let ramp = boundary.task == .regression ? RegressionRamp([trainer.data] + (test.map { [$0] } ?? [])) : nil
    let layer = BoundaryLayer(network: boundary, bounds: bounds, columns: size.columns, rows: size.rows, ramp: ramp)
    let points: PointCells
    if let regions, regions.key.data == wanted.data, regions.key.bounds == bounds, regions.key.asked == size {
      points = regions.points  // a new network over the same points
    } else {
      points = PointCells(data: train, test: test, bounds: bounds, columns: size.columns, rows: size.rows)
    }
    regions = (wanted, layer, points)
    return (layer, points)
  }

  /// A picture of the current state (at a hold, with the figures of this very iteration), with
  /// the decision regions and the side view's figure the screen shows.
  mutating func snapshot(showing shown: Shown = Shown()) -> Snapshot {
    let time = Pacer.now
    lastPublish = time
    let rate = pacer.rate(count: clock, at: time)
    _ = statistics.update(
      trainer: trainer, test: test, run: run, dataVersion: dataVersion, running: state == .running && free, at: time)
    // Stopped: the loss after the last update goes on the chart and in the log now, so they
    // end where the status bar does (running, the next update's forward pass brings it).
    if state != .running, trainer.iteration > 0, let loss = statistics.loss,
      statistics.key == (run, trainer.iteration, dataVersion)
    {
      record(loss, iteration: trainer.iteration - 1, clock: clock - 1)
    }
    if case .diverged = state { statistics.clear() }
    lossLog?.append(train: pendingTrain, test: pendingTest)
    pendingTrain.removeAll(keepingCapacity: true)
    pendingTest.removeAll(keepingCapacity: true)
    // Fitted again on another thread when the points change; until then no (stale) line is shown.
    var fitted: BaselineFitter.Fit?
    if showsBaseline {
      let features = trainer.network.features
      fitter.request(version: dataVersion, train: train, test: test, features: features)
      fitted = fitter.latest.flatMap { $0.version == dataVersion && $0.model.features == features ? $0 : nil }
    }
    let pictured = regions(for: shown.regions)
    return Snapshot(
      run: run, iteration: trainer.iteration, totalIterations: clock, state: state, settings: settings,
      loss: statistics.loss, accuracy: statistics.accuracy, measuredNetwork: statistics.parameters ?? trainer.network,
      lossLambda: statistics.lambda, lossRegularization: statistics.regularization, testLoss: statistics.testLoss,
      testAccuracy: statistics.testAccuracy,
      iterationsPerSecond: state == .running ? rate : 0, history: history, boundaryNetwork: boundary,
      boundaryIteration: boundaryIteration, data: train, test: test, bounds: bounds, dataVersion: dataVersion,
      confusion: statistics.confusion, rmse: statistics.rmse, testRMSE: statistics.testRMSE,
      baseline: fitted?.model, baselineAccuracy: fitted?.accuracy, baselineTestAccuracy: fitted?.testAccuracy,
      lossLog: lossLog, regions: pictured?.layer, figuresFromTrainer: true, points: pictured?.points,
      figure: figure(for: shown.figure),
      trace: traceIfAsked())
  }
}
