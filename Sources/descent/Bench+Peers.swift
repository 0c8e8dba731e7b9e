import DescentCore
import Foundation

/// What a user might run instead of descent, measured by `descent bench` in the same invocation:
/// the post's numpy code, the same step under `jax.jit` (64-bit floats, the passes in one
/// `lax.scan`), and a plain C loop of the step compiled here with `-O3 -march=native -ffast-math`;
/// each held to AVX2 when descent's kernels are (`PeerLimits`).
/// Each trains a configuration for some passes and prints one line of JSON with `per_second`
/// and the post's `loss` after training.
struct Peer {
  /// The column heading: "numpy", "jax", "C loop".
  let name: String
  /// The command line that trains `c` for `passes` passes.
  let command: (_ c: Bench.Case, _ passes: Int) -> [String]?

  /// Iterations per second and the loss after training, from one run.
  func run(_ c: Bench.Case, passes: Int) -> (perSecond: Double, loss: Double)? {
    guard let arguments = command(c, passes), let result = try? runProcess(arguments), result.status == 0,
      let json = try? JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Double],
      let rate = json["per_second"], let loss = json["loss"]
    else { return nil }
    return (rate, loss)
  }

  /// Iterations per second over about `seconds`: a short probe, then a run of about that length
  /// (at least `least` passes, at most `most`).
  func rate(_ c: Bench.Case, seconds: Double, least: Int = 50, most: Int = .max) -> Double? {
    guard let probe = run(c, passes: least) else { return nil }
    let passes = min(most, max(least, Int(probe.perSecond * seconds)))
    return run(c, passes: passes)?.perSecond
  }

  /// The post's numpy code, when python3 has numpy and the script is there, run within `limits`.
  static func numpy(script: String, limits: PeerLimits) -> Peer? {
    guard FileManager.default.fileExists(atPath: script), pythonImports("numpy") else { return nil }
    return Peer(name: "numpy") { c, passes in
      ["/usr/bin/env"] + limits.numpy + ["python3", script, "--bench"] + c.scriptArguments + ["--passes", "\(passes)"]
    }
  }

  /// The step under `jax.jit`, when python3 imports jax and the script is there, run within
  /// `limits`.
  static func jax(script: String, limits: PeerLimits) -> Peer? {
    guard FileManager.default.fileExists(atPath: script), pythonImports("jax") else { return nil }
    return Peer(name: "jax") { c, passes in
      ["/usr/bin/env"] + limits.jax + ["python3", script] + c.scriptArguments + ["--passes", "\(passes)"]
    }
  }

  /// Whether python3 can import `module`.
  static func pythonImports(_ module: String) -> Bool {
    (try? runProcess(["/usr/bin/env", "python3", "-c", "import \(module)"]))?.status == 0
  }
}

/// The plain C loop: `source` compiled once per configuration (the shape is a compile-time
/// constant, as a performance engineer would make it) into a temporary folder, with the
/// configuration's data and initial weights written there as text.
final class CLoop {
  let source: String
  let folder: URL
  /// The compiler's first line of `--version`, for the report.
  let compiler: String
  /// `-O3 -march=native -ffast-math`, and whatever the limits add.
  let flags: [String]
  private var programs: [String: String] = [:]

  /// Nil when there is no `source` or no C compiler (`cc`).
  init?(source: String, limits: PeerLimits) {
    guard FileManager.default.fileExists(atPath: source),
      let version = try? runProcess(["/usr/bin/env", "cc", "--version"]), version.status == 0
    else { return nil }
    self.source = source
    flags = ["-O3", "-march=native", "-ffast-math"] + limits.cFlags
    compiler = String(version.output.split(separator: "\n").first ?? "cc")
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("descent-bench-\(getpid())")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: folder) }

  /// The peer that runs the compiled loop.
  var peer: Peer {
    Peer(name: "C loop") { [self] c, passes in
      guard let (program, data) = prepared(c) else { return nil }
      return [program, data, "\(passes)"] + (c.mean ? ["--mean"] : [])
    }
  }

  /// The program and data file for `c`, compiled and written on first use.
  private func prepared(_ c: Bench.Case) -> (program: String, data: String)? {
    let key = "\(c.samples)-\(c.hidden)-\(c.layers)"
    let program = folder.appendingPathComponent("post_step-\(key)").path
    let data = folder.appendingPathComponent("data-\(key).txt").path
    if let known = programs[key] { return known.isEmpty ? nil : (program, data) }
    programs[key] = ""
    let compile =
      ["/usr/bin/env", "cc"] + flags + [
        "-DHIDDEN=\(c.hidden)", "-DLAYERS=\(c.layers)", "-o", program, source, "-lm",
      ]
    guard let result = try? runProcess(compile), result.status == 0,
      let trainer = try? c.setup.makeTrainer(),
      (try? Self.text(trainer.data, trainer.network).write(toFile: data, atomically: true, encoding: .utf8)) != nil
    else { return nil }
    programs[key] = program
    return (program, data)
  }

  /// The data file `post_step.c` reads: "rows features classes", the rows (features, then the
  /// class), then each layer's weights and biases. Doubles print as the shortest text that
  /// reads back to the same bits.
  static func text(_ data: Dataset, _ network: Network) -> String {
    var lines = ["\(data.count) \(data.features) \(network.classes)"]
    for i in 0..<data.count {
      let row = (0..<data.features).map { "\(data.X[i, $0])" }
      lines.append((row + ["\(data.y[i])"]).joined(separator: " "))
    }
    for layer in network.layers {
      lines.append(layer.W.storage.map { "\($0)" }.joined(separator: " "))
      lines.append(layer.b.map { "\($0)" }.joined(separator: " "))
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

/// What the peers may use of the CPU. With `DESCENT_KERNELS=avx2` on a machine with AVX-512,
/// descent runs as it would on an AVX2 machine, and so do the peers: numpy's own SIMD loops, its
/// BLAS, XLA's code and the C compiler's all stop at AVX2. One machine then measures the ratios of
/// both kinds (numpy's step at 200 x 50, for one, takes about 1.6x as long without AVX-512).
struct PeerLimits {
  /// `env` arguments (`-u NAME`, `NAME=value`) for the numpy run, and for the jax run.
  var numpy: [String] = []
  var jax: [String] = []
  /// Flags after the C loop's own.
  var cFlags: [String] = []
  /// The report's line about them, when there are any.
  var report: String?

  /// The peers as they are, at the machine's widest.
  static let unlimited = PeerLimits()

  /// AVX2 and below, added to what the environment already asks of each peer. numpy from 2.4 names
  /// its AVX-512 targets X86_V4, AVX512_ICL and AVX512_SPR, earlier versions by their features, and
  /// each ignores names it does not dispatch on; it refuses to start with NPY_ENABLE_CPU_FEATURES
  /// set as well. OpenBLAS and MKL each read their own variable.
  static var avx2: PeerLimits {
    let environment = ProcessInfo.processInfo.environment
    func adding(_ name: String, _ value: String) -> String {
      "\(name)=" + ([environment[name], value].compactMap { $0 }.joined(separator: " "))
    }
    let numpyTargets =
      "X86_V4 AVX512_ICL AVX512_SPR AVX512F AVX512CD AVX512_KNL AVX512_KNM AVX512_SKX AVX512_CLX AVX512_CNL"
    return PeerLimits(
      numpy: [
        "-u", "NPY_ENABLE_CPU_FEATURES", adding("NPY_DISABLE_CPU_FEATURES", numpyTargets), "OPENBLAS_CORETYPE=Haswell",
        "MKL_ENABLE_INSTRUCTIONS=AVX2",
      ],
      jax: [adding("XLA_FLAGS", "--xla_cpu_max_isa=AVX2"), "ONEDNN_MAX_CPU_ISA=AVX2"],
      cFlags: ["-mno-avx512f"],
      report:
        "peers held to AVX2 too, as on an AVX2 machine: numpy without its AVX-512 loops and its BLAS at AVX2 "
        + "(OPENBLAS_CORETYPE=Haswell), jax with --xla_cpu_max_isa=AVX2, the C loop with -mno-avx512f")
  }

  /// AVX2 when descent's kernels are held to it (`kernelsHeldToAVX2`), else unlimited.
  static var current: PeerLimits { kernelsHeldToAVX2 ? .avx2 : .unlimited }
}

extension Bench.Case {
  /// The run setup of this configuration (the post's, resized).
  var setup: RunSetup {
    var setup = RunSetup.post
    setup.samples = samples
    setup.hidden = hidden
    setup.layers = layers
    if mean { setup.training.gradient = .mean }
    return setup
  }

  /// The configuration as options of the Python scripts.
  var scriptArguments: [String] {
    ["--samples", "\(samples)", "--hidden", "\(hidden)", "--layers", "\(layers)"] + (mean ? ["--mean"] : [])
  }
}

/// The CPU's model and the SIMD features that matter here, from /proc/cpuinfo.
func cpuDescription() -> String {
  guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
  let lines = text.split(separator: "\n")
  func field(_ name: String) -> String? {
    lines.first { $0.hasPrefix(name) }.flatMap { $0.split(separator: ":", maxSplits: 1).last }
      .map { $0.trimmingCharacters(in: .whitespaces) }
  }
  let flags = Set((field("flags") ?? "").split(separator: " ").map(String.init))
  let shown = ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl"].filter(flags.contains)
  return
    "\(field("model name") ?? "unknown CPU") (\(shown.isEmpty ? "no SIMD flags listed" : shown.joined(separator: " ")))"
}
