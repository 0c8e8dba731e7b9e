import DescentCore
import Testing

@testable import Dashboard

/// The code view's step is taken apart on the trainer's thread: on a large network the screen
/// keeps drawing (and the help opens) while it is worked out, and no frame waits for it.
@Suite("The code view's trace, off the UI thread", .serialized)
struct TraceOffTheUIThreadTests {
  @Test func framesDoNotWaitForALargeNetworksTrace() throws {
    var options = DashboardOptions(settings: Settings())
    options.settings.setup.samples = 50_000
    options.settings.setup.hidden = 512
    options.settings.setup.training.gradient = .mean
    options.settings.setup.training.epsilon = 1
    options.view = .code
    let (train, test) = try options.settings.setup.loadData()
    let backend = TestBackend(
      width: 80, height: 24,
      script: [
        // While the step is worked out, the help opens and closes.
        .on("taking apart the step", press: .char("?")), .on("keys", press: .escape),
        .on("X[0]", press: .char("q")),
      ])
    let loop = RunLoop(options: options, backend: backend, train: train, test: test)
    let (_, outcome) = try loop.loop()
    #expect(backend.stuck == nil, "\(backend.stuck ?? "")")
    #expect(backend.lastFrame?.text.contains("z1[0]") == true)
    // A trace of 50,000 points and 512 units takes about a second here, and tens of seconds on a
    // machine busy with the other tests; a frame that waited for it would take most of that. So
    // the slowest frame is held to the trace's own time as the screen saw it (a frame is about
    // 10 ms here), not to a fixed number of milliseconds.
    let trace = try #require(
      backend.milliseconds(from: { $0.text.contains("taking apart the step") }, to: { $0.text.contains("z1[0]") }))
    let slowest = outcome.frameTimes.max() ?? 0
    #expect(slowest < trace / 4, "the slowest frame took \(slowest) ms, the trace \(trace) ms")
  }
}
