import ArgumentParser
import Dashboard
import DescentCore
import Foundation

/// `descent bench`: iterations per second against the post's numpy code, run in the same
/// invocation, and the dashboard's frame cost. Meant for `swift run -c release descent bench`.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure training speed against the post's numpy code, and the dashboard's frame time.")

  @Option(help: "Seconds to train each configuration (each side, over all rounds), 0.2 to 60.")
  var seconds = 2.0

  @Option(help: "The post's numpy code, parameterized (run with python3 when numpy is there).")
  var numpyScript = "scripts/post_numpy.py"

  func validate() throws { try require(seconds, in: 0.2...60, "--seconds") }

  /// One benchmark configuration.
  struct Case {
    var name: String
    var samples: Int
    var hidden: Int
    var layers = 1
    var mean = false
  }

  static let cases = [
    Case(name: "post: 200 points, 3 units", samples: 200, hidden: 3),
    Case(name: "200 points, 50 units", samples: 200, hidden: 50),
    Case(name: "1,000 points, 50 units", samples: 1000, hidden: 50),
    Case(name: "10,000 points, 100 units, mean", samples: 10000, hidden: 100, mean: true),
    Case(name: "1,000 points, 2 x 50 units", samples: 1000, hidden: 50, layers: 2),
  ]

  func run() throws {
    let python = numpyAvailable()
    if python == nil { print("(python3 with numpy not found, or no \(numpyScript): Swift figures only)") }
    print("kernels: \(kernelBuild); \(ProcessInfo.processInfo.activeProcessorCount) cores")
    let header = "configuration (best of \(Self.rounds) alternating rounds)"
    print(header.padding(toLength: 52, withPad: " ", startingAt: 0) + " descent it/s    numpy it/s     ratio")
    for c in Self.cases {
      // Swift, numpy, Swift, numpy, ...: a machine whose speed drifts (a shared VM) then slows
      // both sides alike, and the best round of each is the least disturbed.
      var ours = 0.0
      var theirs: Double? = python == nil ? nil : 0
      for _ in 0..<Self.rounds {
        ours = max(ours, try swiftRate(c, seconds: seconds / Double(Self.rounds)))
        if let python, let best = theirs {
          theirs = numpyRate(c, python: python, seconds: seconds / Double(Self.rounds)).map { max(best, $0) }
        }
      }
      var line = c.name.padding(toLength: 52, withPad: " ", startingAt: 0) + String(format: "%13.0f", ours)
      if let theirs { line += String(format: "  %12.0f  %6.1fx", theirs, ours / theirs) }
      print(line)
    }
    for (width, height) in [(120, 40), (200, 60)] {
      let (boundary, frame) = try frameTimes(width: width, height: height)
      print(
        String(
          format: "dashboard %dx%d: decision boundary %.2f ms, whole frame %.2f ms", width, height, boundary, frame))
    }
  }

  /// How many times each side is measured, taking turns.
  static let rounds = 3

  /// Iterations per second of the Swift trainer on a configuration, over about `seconds`.
  func swiftRate(_ c: Case, seconds: Double) throws -> Double {
    var setup = RunSetup.post
    setup.samples = c.samples
    setup.hidden = c.hidden
    setup.layers = c.layers
    if c.mean { setup.training.gradient = .mean }
    let trainer = try setup.makeTrainer()
    trainer.train(10)  // warm up
    var iterations = 0
    let start = DispatchTime.now().uptimeNanoseconds
    var elapsed = 0.0
    repeat {
      trainer.train(20)
      iterations += 20
      elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    } while elapsed < seconds
    return Double(iterations) / elapsed
  }

  /// The python3 that has numpy, if any, and the script is there.
  func numpyAvailable() -> String? {
    guard FileManager.default.fileExists(atPath: numpyScript) else { return nil }
    let result = try? runProcess(["/usr/bin/env", "python3", "-c", "import numpy"])
    return result?.status == 0 ? "python3" : nil
  }

  /// The numpy code's iterations per second, timed by the script itself, over about `seconds`.
  func numpyRate(_ c: Case, python: String, seconds: Double) -> Double? {
    // Aim at about `seconds`: a short probe, then the real run.
    func measure(_ passes: Int) -> Double? {
      var arguments = [
        "/usr/bin/env", python, numpyScript, "--bench", "--samples", "\(c.samples)", "--hidden", "\(c.hidden)",
        "--layers", "\(c.layers)", "--passes", "\(passes)",
      ]
      if c.mean { arguments.append("--mean") }
      guard let result = try? runProcess(arguments), result.status == 0,
        let json = try? JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Double]
      else { return nil }
      return json["per_second"]
    }
    guard let probe = measure(50) else { return nil }
    return measure(max(50, Int(probe * seconds)))
  }

  /// Milliseconds to compute one decision-boundary grid, and to render a whole frame, at a size.
  func frameTimes(width: Int, height: Int) throws -> (boundary: Double, frame: Double) {
    let (train, test) = try RunSetup.post.loadData()
    let trainer = try RunSetup.post.makeTrainer(train: train, test: test)
    trainer.train(2000)
    let layout = Layout(width: width, height: height)
    let area = Rect(x: 0, y: 0, width: layout.plot.width - 7, height: layout.plot.height - 3)
    let bounds = PlotBounds([train])
    let rounds = 50
    var start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<rounds {
      _ = BoundaryLayer(network: trainer.network, bounds: bounds, columns: area.width, rows: area.height)
    }
    let boundary = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(rounds)
    start = DispatchTime.now().uptimeNanoseconds
    for i in 0..<rounds {
      trainer.step()
      var model = DashboardModel(settings: Settings(), width: width, height: height)
      model.snapshot = Snapshot.forBenchmark(trainer: trainer, iteration: i)
      var screen = Screen()
      _ = screen.render(model)
    }
    let frame = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(rounds)
    return (boundary, frame)
  }
}

/// Runs a program and collects its standard output.
func runProcess(_ arguments: [String]) throws -> (status: Int32, output: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: arguments[0])
  process.arguments = Array(arguments.dropFirst())
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = FileHandle.nullDevice
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
