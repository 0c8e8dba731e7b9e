import DescentCore
import Dispatch
import Synchronization

/// Runs gradient descent on a background Dispatch queue. The UI sends `Command`s; the trainer
/// posts `Snapshot`s into a mailbox. The trainer itself never leaves that queue.
public final class TrainingSession: Sendable {
  private let commands = Locked<[Command]>([])
  private let wake = DispatchSemaphore(value: 0)
  private let finished = DispatchSemaphore(value: 0)
  private let stopping = Atomic<Bool>(false)
  private let queue = DispatchQueue(label: "descent.trainer", qos: .userInitiated)
  public let snapshots = Mailbox<Snapshot>()
  /// A snapshot taken where a hold (`Command.hold`) stopped the trainer, with the number of
  /// holds asked for by then.
  public let holds = Mailbox<Held>()

  /// Where a hold stopped the trainer.
  public struct Held: Sendable {
    /// The count of `hold` commands applied, this one included.
    public var number: Int
    public var snapshot: Snapshot
  }
  private let settings: Settings
  private let train: Dataset
  private let test: Dataset?
  private let startPaused: Bool
  private let panel: PanelRule?

  /// A session on `settings`; with `panel`, one panel of the hidden-size sweep or the optimizer
  /// race, which keeps its own hidden size or optimizer whatever setup it is sent.
  public init(settings: Settings, train: Dataset, test: Dataset?, paused: Bool = false, panel: PanelRule? = nil) {
    self.settings = settings
    self.train = train
    self.test = test
    self.startPaused = paused
    self.panel = panel
  }

  /// Why the trainer could not start (a model file that changed since it was checked), if so.
  public let failures = Mailbox<String>()

  /// Starts the trainer thread. Everything that may be slow happens there, the first network and
  /// its first loss included, so the screen and the keys never wait for a large network.
  public func start() {
    let (settings, train, test, paused, panel) = (settings, train, test, startPaused, panel)
    queue.async { [self] in
      defer { finished.signal() }
      var engine: Engine
      do {
        engine = try Engine(
          settings: settings, train: train, test: test, paused: paused, panel: panel,
          wake: { [wake] in wake.signal() })
      } catch {
        failures.post("\(error)")
        return
      }
      var shown = self.shown.withLock { $0 }
      snapshots.post(engine.snapshot(showing: shown))
      while !stopping.load(ordering: .acquiring) {
        let pending = commands.withLock { list in
          defer { list.removeAll() }; return list
        }
        for command in pending { engine.apply(command) }
        shown = self.shown.withLock { $0 }
        switch engine.next() {
        case .wait:
          snapshots.post(engine.snapshot(showing: shown))
          wake.wait()
        case .sleep(let until):
          // Paced slowly, a new plot size or view is drawn now, not at the next iteration.
          if engine.outdated(for: shown) { snapshots.post(engine.snapshot(showing: shown)) }
          _ = wake.wait(timeout: until)
        case .ran(let publish):
          if publish || engine.outdated(for: shown) { snapshots.post(engine.snapshot(showing: shown)) }
        case .held:
          let snapshot = engine.snapshot(showing: shown)
          holds.post(Held(number: engine.holds, snapshot: snapshot))
          snapshots.post(snapshot)
          wake.wait()
        }
      }
    }
  }

  /// The plot size, in cells, that the screen draws the regions at, and the figure its side
  /// view draws; the trainer works them out for each snapshot it posts.
  private let shown = Locked(Engine.Shown())

  /// Asks for the decision regions at a plot of this many cells (the screen's plot area); a
  /// snapshot with them follows. Cheap when the size is the one already asked for.
  public func showRegions(_ size: RegionSize) {
    let changed = shown.withLock { current in
      defer { current.regions = size }; return current.regions != size
    }
    if changed { wake.signal() }
  }

  /// Asks for the figure a side view draws (the hidden space, the unit maps, the network's
  /// weights), or none; a snapshot with it follows. Cheap when it is the one already asked for.
  public func showFigure(_ request: FigureRequest?) {
    let changed = shown.withLock { current in
      defer { current.figure = request }; return current.figure != request
    }
    if changed { wake.signal() }
  }

  /// Queues a command and wakes the trainer. A newer setting replaces the last pending command when
  /// that one is of its kind, so a storm of one command never grows the queue. Only the last: merged
  /// into an earlier one, it would run before the commands sent between (a resume ahead of the
  /// steps queued after a pause, which would pause the run again).
  public func send(_ command: Command) {
    commands.withLock { list in
      if let merged = list.last?.merging(command) {
        list[list.count - 1] = merged
      } else if list.count < 256 {
        list.append(command)
      }
    }
    wake.signal()
  }

  /// Stops the trainer thread and waits for it, up to `timeout` seconds: a step of a very large
  /// network can take minutes, and quitting must not wait for it (the thread then ends with the
  /// process, or by itself after the step). Returns whether it ended in time.
  @discardableResult
  public func stop(timeout: Double = 0.2) -> Bool {
    if !stopping.exchange(true, ordering: .acquiringAndReleasing) {
      wake.signal()
    }
    return waitUntilFinished(timeout: timeout)
  }

  /// Asks the trainer thread to stop, without waiting.
  public func requestStop() {
    guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
    wake.signal()
  }

  private let ended = Atomic<Bool>(false)
  /// Set once a wait has run out: a step that outlasted one wait is not waited for again (the
  /// run loop stops the session twice on its way out, and q must not wait twice).
  private let abandoned = Atomic<Bool>(false)

  private func waitUntilFinished(timeout: Double) -> Bool {
    if ended.load(ordering: .acquiring) { return true }
    if abandoned.load(ordering: .acquiring) { return false }
    guard finished.wait(timeout: .now() + timeout) == .success else {
      abandoned.store(true, ordering: .releasing)
      return false
    }
    ended.store(true, ordering: .releasing)
    return true
  }
}
