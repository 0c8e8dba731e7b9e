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
  }

  private(set) var settings: Settings
  private var train: Dataset
  private var test: Dataset?
  /// Counts changes to the data, so the baseline is fitted again only when it changes.
  private var dataVersion = 0
  /// The plotted region, made when the data is (re)made and widened only by points outside it.
  private var bounds: PlotBounds
  /// A sweep panel's own hidden size, kept whatever setup arrives.
  private let fixedHidden: Int?
  private var showsBaseline = false
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

  private var paceStart = DispatchTime.now().uptimeNanoseconds
  private var paceIterations = 0
  private var lastPublish: UInt64 = 0
  /// Recent (time, clock) readings, for the iterations per second over about the last second.
  private var rateSamples: [(time: UInt64, clock: Int)] = []
  private var stats: (loss: Double?, accuracy: Double?, testLoss: Double?, testAccuracy: Double?) = (nil, nil, nil, nil)
  private var statsParameters: Network?
  private var statsLambda = 0.0
  private var statsTime: UInt64 = 0
  private var statsKey = (run: -1, iteration: -1, data: -1)

  static let publishInterval: UInt64 = 33_000_000
  static let statsInterval: UInt64 = 100_000_000
  static let chunk: UInt64 = 8_000_000

  /// `wake` is called from another thread when there is news to post (a fitted baseline).
  init(
    settings: Settings, train: Dataset, test: Dataset?, paused: Bool, fixedHidden: Int? = nil,
    wake: @escaping @Sendable () -> Void = {}
  ) throws {
    fitter = BaselineFitter(done: wake)
    lossLog = fixedHidden == nil ? LossLog() : nil
    var settings = settings
    if let fixedHidden { settings.setup.hidden = fixedHidden }
    self.settings = settings
    self.train = train
    self.test = test
    self.fixedHidden = fixedHidden
    bounds = PlotBounds(train, test: test)
    trainer = try settings.setup.makeTrainer(train: train, test: test)
    trainer.measuresLoss = true
    trainer.parallel = false  // the other core draws the frames (measured: see restart)
    boundary = trainer.network
    limit = settings.passes
    state = paused ? .paused : .running
  }

  private var now: UInt64 { DispatchTime.now().uptimeNanoseconds }

  mutating func apply(_ command: Command) {
    switch command {
    case .setEpsilon(let epsilon):
      settings.setup.training.epsilon = epsilon
      trainer.config.epsilon = epsilon
      history.mark(clock, "ε \(formatRate(epsilon))")
      if case .diverged = state { restart(label: nil) }
    case .setLambda(let lambda):
      settings.setup.training.lambda = lambda
      trainer.config.lambda = lambda
      history.mark(clock, "λ \(formatRate(lambda))")
      if case .diverged = state { restart(label: nil) }
    case .setBatchSize(let size):
      settings.setup.training.batchSize = size
      trainer.config.batchSize = size
      history.mark(clock, "batch \(size.map(String.init) ?? "all")")
    case .setAnneal(let k):
      settings.setup.training.anneal = k
      trainer.config.anneal = k
      history.mark(clock, k == 0 ? "anneal off" : "anneal \(formatRate(k))")
    case .restart(var setup, let label):
      if let fixedHidden { setup.hidden = fixedHidden }
      let old = settings.setup
      settings.setup = setup
      if !setup.sameData(as: old) || settings.edits > 0 {
        do {
          (train, test) = try setup.loadData()
          bounds = PlotBounds(train, test: test)
          dataVersion += 1
          settings.edits = 0
        } catch {
          settings.setup.source = old.source  // the file went away: keep the points we have
        }
      }
      restart(label: label)
    case .addPoint(let x, let y, let label):
      guard train.features == 2, label >= 0, label < trainer.network.classes else { break }
      edit(train.adding(x: x, y: y, label: label))
    case .removePoint(let x, let y):
      guard train.count > 1, let index = train.nearest(x: x, y: y) else { break }
      edit(train.removing(index))
    case .showBaseline(let on):
      showsBaseline = on
    case .setRedrawEvery(let n):
      settings.redrawEvery = max(1, n)
    case .setSpeed(let speed):
      settings.speed = speed
      restartPace()
    case .pause:
      if state == .running {
        state = .paused
        showCurrentBoundary()
      }
    case .resume:
      if state == .paused || state == .done {
        if state == .done { limit = trainer.iteration + settings.passes }
        state = .running
        restartPace()
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
    case .reinitialize(let seed):
      settings.setup.weightSeed = seed
      settings.setup.initialModel = nil
      restart(label: "new weights")
    }
  }

  /// Training carries on, from the same parameters, on edited data.
  private mutating func edit(_ data: Dataset) {
    train = data
    bounds = bounds.including(data)
    dataVersion += 1
    settings.edits += 1
    trainer = trainer.continuing(on: data)
    if state == .done { state = .paused }
    showCurrentBoundary()
  }

  /// A fresh trainer on the current settings, from iteration 0, marked on the chart.
  private mutating func restart(label: String?) {
    if let fresh = try? settings.setup.makeTrainer(train: train, test: test) {
      trainer = fresh
    } else {
      settings.setup.initialModel = nil  // the saved model cannot be read any more
      trainer = try! settings.setup.makeTrainer(train: train, test: test)
    }
    trainer.measuresLoss = true
    // One core trains, the other draws: with both training, 10,000 points x 100 units ran 255 it/s
    // instead of 137 but frames took up to 20 ms at 200x60 (p99) instead of 10.
    trainer.parallel = false
    run += 1
    if let label { history.mark(clock, label) }
    if state != .paused { state = .running }
    limit = settings.passes
    stepsRequested = 0
    showCurrentBoundary()
    restartPace()
  }

  private mutating func restartPace() {
    paceStart = now
    paceIterations = 0
    rateSamples.removeAll()
  }

  private mutating func showCurrentBoundary() {
    boundary = trainer.network
    boundaryIteration = trainer.iteration
  }

  /// Does the next piece of work.
  mutating func next() -> Next {
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
      let interval = 1e9 / settings.speed
      let due = paceStart + UInt64(Double(paceIterations + 1) * interval)
      let time = now
      if time < due { return .sleep(DispatchTime(uptimeNanoseconds: due)) }
      // What is owed, but never more than a chunk of time: commands (and a stop) wait no longer.
      let owed = max(1, Int(Double(time - paceStart) / interval) - paceIterations)
      var ran = 0
      repeat {
        runOne()
        ran += 1
      } while ran < owed && state == .running && now - time < Self.chunk
      paceIterations += ran
      return .ran(publish: settings.speed <= 60 || time - lastPublish >= Self.publishInterval)
    }
    // As fast as it goes, a chunk of time at a time (the clock read costs ~1% of a small step).
    let start = now
    repeat { runOne() } while state == .running && now - start < Self.chunk
    return .ran(publish: now - lastPublish >= Self.publishInterval || state != .running)
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
    if (trainer.iteration - 1) % settings.redrawEvery == 0 {  // after iterations 0, 100, 200, …
      boundary = trainer.network
      boundaryIteration = trainer.iteration
    }
    if trainer.iteration >= limit {
      state = .done
      showCurrentBoundary()
    }
  }

  /// A training loss, on the chart (at the session's iteration) and in the log (at the run's).
  private mutating func record(_ loss: Double, iteration: Int, clock: Int) {
    guard (run, iteration) > lastRecorded else { return }
    lastRecorded = (run, iteration)
    history.train.append(clock, loss)
    if lossLog != nil && loss.isFinite { pendingTrain.append(LossLog.Row(run: run, iteration: iteration, loss: loss)) }
  }

  /// A picture of the current state. The loss and accuracies over the whole data are worked out
  /// at most ten times a second while running.
  mutating func snapshot() -> Snapshot {
    let time = now
    lastPublish = time
    rateSamples.append((time, clock))
    rateSamples.removeAll { time - $0.time > 1_000_000_000 }
    var iterationsPerSecond = 0.0
    if state == .running, let oldest = rateSamples.first, time > oldest.time {
      iterationsPerSecond = Double(clock - oldest.clock) / (Double(time - oldest.time) / 1e9)
    }
    let key = (run, trainer.iteration, dataVersion)
    // New points make the old figures wrong at once: work them out again whatever the time.
    let due = time - statsTime >= Self.statsInterval || state != .running || statsKey.data != dataVersion
    if due && key != statsKey, trainer.network.isFinite {
      statsParameters = trainer.network
      statsLambda = trainer.config.lambda
      stats.loss = trainer.loss()
      stats.accuracy = trainer.network.accuracy(on: train)
      stats.testLoss = trainer.testLoss()
      stats.testAccuracy = test.map { trainer.network.accuracy(on: $0) }
      if let testLoss = stats.testLoss, clock > 0, trainer.iteration > 0 {
        history.test.append(clock - 1, testLoss)
        if lossLog != nil && testLoss.isFinite {
          pendingTest.append(LossLog.Row(run: run, iteration: trainer.iteration - 1, loss: testLoss))
        }
      }
      // Stopped: the loss after the last update goes on the chart and in the log now, so they
      // end where the status bar does (running, the next update's forward pass brings it).
      if state != .running, let loss = stats.loss, clock > 0, trainer.iteration > 0 {
        record(loss, iteration: trainer.iteration - 1, clock: clock - 1)
      }
      statsTime = time
      statsKey = key
    }
    if case .diverged = state { stats = (nil, nil, nil, nil) }
    lossLog?.append(train: pendingTrain, test: pendingTest)
    pendingTrain.removeAll(keepingCapacity: true)
    pendingTest.removeAll(keepingCapacity: true)
    // Fitted again on another thread when the points change; until then no (stale) line is shown.
    var fitted: BaselineFitter.Fit?
    if showsBaseline {
      fitter.request(version: dataVersion, train: train, test: test)
      fitted = fitter.latest.flatMap { $0.version == dataVersion ? $0 : nil }
    }
    return Snapshot(
      run: run, iteration: trainer.iteration, totalIterations: clock, state: state, settings: settings,
      loss: stats.loss,
      accuracy: stats.accuracy, parameters: statsParameters ?? trainer.network, lossLambda: statsLambda,
      testLoss: stats.testLoss, testAccuracy: stats.testAccuracy,
      iterationsPerSecond: iterationsPerSecond, history: history, network: boundary,
      boundaryIteration: boundaryIteration, data: train, test: test, bounds: bounds, dataVersion: dataVersion,
      baseline: fitted?.model, baselineAccuracy: fitted?.accuracy, baselineTestAccuracy: fitted?.testAccuracy,
      lossLog: lossLog)
  }
}
