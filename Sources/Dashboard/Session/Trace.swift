import DescentCore

/// What the code view and the point inspector ask the trainer to take apart: the next step,
/// keeping the training rows `rows` (every row of a small batch is kept anyway), and the forward
/// pass of test point `testRow`.
public struct TraceRequest: Sendable, Equatable {
  public var rows: [Int]
  public var testRow: Int?

  public init(rows: [Int], testRow: Int? = nil) {
    self.rows = rows
    self.testRow = testRow
  }
}

/// The trainer's answer, worked out on its own thread (a step of 100,000 points and 1,024 units
/// takes seconds): the step from the network on screen and, if asked, a test point's pass.
public struct TraceReply: Sendable {
  public var request: TraceRequest
  /// The run, iteration and points the step starts from (the snapshot's boundary network).
  public var run: Int
  public var iteration: Int
  public var dataVersion: Int
  public var step: StepTrace
  public var test: ForwardTrace?

  /// Whether this answers `request` for the network `snapshot` shows.
  public func answers(_ request: TraceRequest, for snapshot: Snapshot) -> Bool {
    run == snapshot.run && iteration == snapshot.boundaryIteration && dataVersion == snapshot.dataVersion
      && request.rows.allSatisfy { step.forward.index(of: $0) != nil } && (request.testRow == nil || test != nil)
  }
}

extension Engine {
  /// The trace asked for, worked out again only when the network, the points, the settings or
  /// the request change. From the trainer's own state (its next step, masks and memory included)
  /// when the network on screen is the current one, else from the network on screen.
  mutating func traceIfAsked() -> TraceReply? {
    guard let request = traceRequest else { return nil }
    let (network, iteration) = (boundaryNetwork, boundaryIterationShown)
    if let traced, traced.request == request, traced.run == currentRun, traced.iteration == iteration,
      traced.dataVersion == currentDataVersion, traced.step.config == settings.setup.training
    {
      return traced
    }
    let rows = request.rows.filter { (0..<trainingData.count).contains($0) }
    let step =
      iteration == currentTrainer.iteration
      ? currentTrainer.traceNextStep(keeping: rows)
      : StepTrace(
        network: network, data: trainingData, config: settings.setup.training, iteration: iteration, keeping: rows)
    let test = request.testRow.flatMap { row in
      testData.flatMap { row < $0.count ? network.forwardTrace($0.subset([row])) : nil }
    }
    let reply = TraceReply(
      request: request, run: currentRun, iteration: iteration, dataVersion: currentDataVersion, step: step, test: test)
    traced = reply
    return reply
  }
}
