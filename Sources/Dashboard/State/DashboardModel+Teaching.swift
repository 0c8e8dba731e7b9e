import DescentCore

/// A point chosen for the inspector and the code view: a training point or a held-out one.
public struct InspectedPoint: Sendable, Equatable {
  public var test: Bool
  public var index: Int
}

/// The gradient check of one network: the worst relative error of each layer's weights and
/// biases, between backpropagation and finite differences; `nil` while it runs.
public struct GradientCheckReport: Sendable {
  /// The iteration of the network checked, and how many points the objective summed.
  public var iteration: Int
  public var points: Int
  public var layers: [(weights: Double, biases: Double)]?

  /// The most points the check sums (each parameter costs four passes over them).
  static let maximumPoints = 100

  /// A report with the number of the check that made it (the run loop shows only the latest's).
  struct Numbered: Sendable {
    var number: Int
    var report: GradientCheckReport
  }
}

extension DashboardModel {
  /// The teaching views' keys: the code view, the math view, the point inspector, the gradient check.
  mutating func handleTeaching(_ action: Action) -> [Effect] {
    switch action {
    case .toggleCode:
      guard view != .code else { return show(.boundary) }
      codeLine = 0
      // A card about a line of the code opens on that line.
      if let card, let op = Card.all[card].codeLine, let snapshot {
        let code = PostCode(network: snapshot.boundaryNetwork, training: snapshot.settings.setup.training)
        codeLine = code.statements.firstIndex { $0.op == op } ?? 0
      }
      if inspected?.test != false { inspected = InspectedPoint(test: false, index: 0) }
      // Leaving the sweep resumes the main run: the code view pauses it after that.
      var effects = show(.code)
      if snapshot?.state == .running || effects.contains(.main(.resume)) { effects += route(.pause) }
      return effects
    case .toggleMath:
      mathScroll = 0
      return show(view == .math ? .boundary : .math)
    case .codeLine(let by):
      guard let snapshot else { return [] }
      let count = PostCode(network: snapshot.boundaryNetwork, training: snapshot.settings.setup.training)
        .statements.count
      if codeLine + by >= count {
        // Past the update: the trainer takes the step the lines just walked through.
        codeLine = 0
        say("the trainer took the step: iteration \(snapshot.iteration + 1)")
        return route(.step)
      }
      codeLine = max(0, codeLine + by)
    case .inspect(let by):
      guard let snapshot else { return [] }
      let train = snapshot.data.count
      // In the code view only training points are in the step; elsewhere test points follow them.
      let total = train + (view == .code ? 0 : snapshot.test?.count ?? 0)
      guard total > 0 else { return [] }
      let current = inspected.map { $0.test ? train + $0.index : $0.index } ?? (by > 0 ? -1 : total)
      let next = ((current + by) % total + total) % total
      inspected = InspectedPoint(test: next >= train, index: next >= train ? next - train : next)
    case .checkGradient:
      guard let snapshot else { return [] }
      gradientCheck = GradientCheckReport(
        iteration: snapshot.boundaryIteration, points: min(snapshot.data.count, GradientCheckReport.maximumPoints))
      let effects = view == .math || view == .code ? [] : show(.math)
      return effects + [.checkGradient]
    case .scroll(let by):
      mathScroll = max(0, mathScroll + by)
    case .card(let by):
      return showCard((card ?? (by > 0 ? -1 : Card.all.count)) + by)
    default:
      break
    }
    return []
  }

  /// What the trainer is asked to take apart for the code view and the inspector (nil when
  /// neither is on screen): the inspected training point's row, or the test point's pass.
  public var traceRequest: TraceRequest? {
    guard let snapshot else { return nil }
    guard view == .code || (inspected != nil && ![.sweep, .math].contains(view)) else { return nil }
    let point = inspected ?? InspectedPoint(test: false, index: 0)
    // Within the points there are now (a point removed by mouse may have been the last).
    if point.test && view != .code {
      return TraceRequest(rows: [], testRow: min(point.index, max(0, (snapshot.test?.count ?? 1) - 1)))
    }
    return TraceRequest(rows: [min(point.test ? 0 : point.index, snapshot.data.count - 1)])
  }

  /// The panels' titles in the sweep view (a card's, or one per hidden size) or the race.
  public var sweepTitles: [String] {
    if let card, view == .sweep { return Card.all[card].panels.map(\.title) }
    return panelRules.map(\.title)
  }

  /// What each panel keeps its own: its optimizer in the race, its hidden size in the sweep.
  public var panelRules: [PanelRule] { view == .race ? PanelRule.race : sweepSizes.map(PanelRule.hidden) }

  /// Shows the reader's question `index` (none when out of range): its panels in the sweep view.
  mutating func showCard(_ index: Int) -> [Effect] {
    guard Card.all.indices.contains(index) else {
      closeCard()
      return show(.boundary)
    }
    if card == nil { titleBeforeCard = presentation.title }
    card = index
    presentation.title = nil
    refreshCaption()  // in a lesson, the stage's heading stays
    guard view == .sweep else { return show(.sweep) }
    sweep = Array(repeating: nil, count: sweepTitles.count)
    return [.stopSweep, .startSweep]
  }

  /// Whether the question on show is the lesson stage's own (the stage's caption asks about it).
  var showsStagesCard: Bool {
    guard let card, let lesson, let stage else { return false }
    return lesson.stages[stage].card == card
  }

  /// How to leave the question on show: esc, or in a lesson stage that shows it, another stage.
  public var leavesCard: String { showsStagesCard ? "← → stages" : "esc closes" }

  /// The panels on show, for the status line: the race, a reader's question, or the sweep.
  var panelsOnShow: StatusBar.Panels? {
    switch view {
    case .race: return StatusBar.Panels(name: "optimizer race", leave: "O returns")
    case .sweep:
      guard let card else { return StatusBar.Panels(name: "hidden-size sweep", leave: "g returns") }
      return StatusBar.Panels(name: "question \(card + 1)/\(Card.all.count)", leave: leavesCard, ownSettings: true)
    default: return nil
    }
  }

  /// Puts the reader's question away (if one is out), and the title it replaced back.
  mutating func closeCard() {
    guard card != nil else { return }
    card = nil
    presentation.title = titleBeforeCard
  }

  /// The loop finished a gradient check.
  public mutating func gradientChecked(_ report: GradientCheckReport) {
    gradientCheck = report
    guard let layers = report.layers else { return }
    let worst = layers.map { max($0.weights, $0.biases) }.max() ?? 0
    say("gradient check: worst relative error \(Self.scientific(worst)) over \(layers.count) layers", .done)
  }

  /// `3.1e-10`.
  static func scientific(_ x: Double) -> String { String(format: "%.1e", x) }
}

extension PostCode {
  /// The lines that compute something (the code view steps through these, not the comments).
  var statements: [Line] { lines.filter { $0.op != .comment } }
}
