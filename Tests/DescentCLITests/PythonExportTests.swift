import Foundation
import Testing

/// `descent export --python`: the generated numpy script prints what `descent train` prints.
@Suite("The post's code as a Python script", .ownThreads, .serialized)
struct PythonExportTests {
  /// Whether python3 with numpy and scikit-learn is here (CI installs them when missing).
  static let python: Bool = {
    let check = try? Spawn.run(["/usr/bin/env", "python3", "-c", "import numpy, sklearn; print('ok')"], output: true)
    return check?.contains("ok") == true
  }()

  /// A dozen setups and, for the chaotic ones, the first printed iteration where numpy and descent
  /// may part: there numpy itself prints other digits when its own activation is moved by one ulp
  /// (measured by multiplying np.tanh or np.maximum by 1 + 2^-52 in the generated script).
  static let setups: [(arguments: [String], chaoticFrom: Int?)] = [
    // The post: iteration 1500 is in the transition into its two-state oscillation.
    (["--passes", "1500"], 1500),
    (["--hidden", "5", "--epsilon", "0.005"], nil),
    (["--activation", "sigmoid", "--hidden", "4"], nil),
    (["--activation", "relu", "--hidden", "6", "--epsilon", "0.005"], nil),
    (["--layers", "2", "--hidden", "4"], 2500),
    (["--layers", "3", "--hidden", "5", "--activation", "relu", "--gradient", "mean", "--epsilon", "0.5"], 1000),
    (["--dataset", "circles", "--hidden", "6"], nil),
    (["--dataset", "blobs", "--classes", "3", "--hidden", "3"], nil),
    (
      ["--dataset", "spiral", "--hidden", "10", "--gradient", "mean", "--epsilon", "1", "--lambda", "0.001"],
      nil
    ),
    (["--dataset", "xor", "--hidden", "4"], nil),
    (["--batch-size", "32", "--hidden", "4"], nil),
    (["--anneal", "0.01", "--epsilon", "0.02"], nil),
    (["--test-fraction", "0.2", "--samples", "300", "--noise", "0.3"], nil),
    (["--data", "points.csv", "--hidden", "4", "--test-fraction", "0.25"], nil),
    // Issue 17's options, each on its own, and one combination (1000 passes: the last --passes
    // given counts, and half the passes keep the test's time down).
    (["--passes", "1000", "--features", "x1,x2,x1sq,x2sq,sinx1"], nil),
    (["--passes", "1000", "--task", "regression", "--dataset", "plane", "--hidden", "4", "--epsilon", "0.0005"], nil),
    (
      [
        "--passes", "1000", "--task", "regression", "--dataset", "sine", "--hidden", "5", "--epsilon", "0.001",
        "--test-fraction", "0.2",
      ],
      nil
    ),
    (
      ["--passes", "1000", "--task", "regression", "--data", "targets.csv", "--hidden", "6", "--epsilon", "0.002"], nil
    ),
    // L1: λ·sign(W) jumps when a weight crosses 0; numpy's own line at 1500 moves when its tanh does.
    (["--reg", "l1"], 1500),
    (["--passes", "1000", "--optimizer", "momentum", "--epsilon", "0.001"], nil),
    (["--passes", "1000", "--optimizer", "nesterov", "--epsilon", "0.001", "--anneal", "0.001"], nil),
    (["--passes", "1000", "--optimizer", "adam", "--epsilon", "0.01", "--hidden", "8,4"], nil),
    (["--passes", "1000", "--dropout", "0.2"], nil),
    (
      [
        "--passes", "1000", "--dropout", "0.3", "--batch-size", "50", "--hidden", "8,4", "--optimizer", "adam",
        "--gradient", "mean",
        "--epsilon", "0.01",
      ], nil
    ),
  ]

  @Test(.enabled(if: python || Tmux.inCI, "needs python3 with numpy and scikit-learn"))
  func generatedScriptsPrintWhatTrainPrints() throws {
    let folder = CLI.temporaryFolder()
    // A CSV of two rings (150 points, header row), written here so the test needs no fixture.
    try Self.circlesCSV().write(toFile: folder + "/points.csv", atomically: true, encoding: .utf8)
    try Self.targetsCSV().write(toFile: folder + "/targets.csv", atomically: true, encoding: .utf8)
    for (n, (arguments, chaoticFrom)) in Self.setups.enumerated() {
      let options = ["--passes", "2000", "--print-every", "500"] + arguments
      let script = "s\(n).py"
      let export = try CLI.run(["export", "--python", script] + options, in: folder)
      #expect(export.status == 0, "\(arguments): \(export.stderr)")
      let numpy = try Spawn.run(["/usr/bin/env", "python3", folder + "/" + script], output: true)
      let train = try CLI.run(["train"] + options, in: folder)
      let ours = Self.lossLines(train.stdout)
      let theirs = Self.lossLines(numpy)
      #expect(ours.count == theirs.count && !ours.isEmpty, "\(arguments)\n\(numpy)")
      for (a, b) in zip(ours, theirs) {
        let iteration = Int(a.split(separator: " ")[3].dropLast())!
        if let chaoticFrom, iteration >= chaoticFrom { continue }
        #expect(a == b, "\(arguments)")
      }
      // The final loss and accuracy too, where the run is not chaotic.
      if chaoticFrom == nil {
        let summary =
          train.stdout.split(separator: "\n").last { $0.hasPrefix("Final loss") }.map {
            String($0.split(separator: ";")[0])
          } ?? ""
        #expect(numpy.contains(summary), "\(arguments): \(summary)")
      }
    }
  }

  @Test func theScriptIsThePostsCode() throws {
    let folder = CLI.temporaryFolder()
    let result = try CLI.run(["export", "--python", "train.py"], in: folder)
    #expect(result.status == 0)
    let text = try String(contentsOfFile: folder + "/train.py", encoding: .utf8)
    for line in [
      "X, y = sklearn.datasets.make_moons(200, noise=0.2)", "delta3 = probs", "delta3[range(num_examples), y] -= 1",
      "delta2 = delta3.dot(W2.T) * (1 - np.power(a1, 2))", "dW1 = np.dot(X.T, delta2)", "W1 += -epsilon * dW1",
    ] {
      #expect(text.contains(line), "\(line)")
    }
    // Issue 17's options are written as lines of the loop.
    let options = try CLI.run(
      [
        "export", "--python", "options.py", "--reg", "l1", "--optimizer", "nesterov", "--dropout", "0.1",
        "--features", "x1,x2sq",
      ], in: folder)
    #expect(options.status == 0, "\(options.stderr)")
    let generalized = try String(contentsOfFile: folder + "/options.py", encoding: .utf8)
    for line in [
      "return np.column_stack([P[:, 0], P[:, 1] * P[:, 1]])", "dW1 += reg_lambda * np.sign(W1)",
      "mask1 = (np.random.random_sample(a1.shape) >= dropout) / (1 - dropout)", "a1_drop = a1 * mask1",
      "delta2 = delta3.dot(W2.T) * (1 - np.power(a1, 2)) * mask1", "vW2_prev = vW2",
      "W2 += -mu * vW2_prev + (1 + mu) * vW2",
    ] {
      #expect(generalized.contains(line), "\(line)")
    }
    // An existing file is never overwritten, and one of --svg or --python is needed.
    let again = try CLI.run(["export", "--python", "train.py"], in: folder)
    #expect(again.status != 0 && again.stderr.contains("already exists"))
    let neither = try CLI.run(["export"], in: folder)
    #expect(neither.status != 0 && neither.stderr.contains("--python"))
  }

  static func lossLines(_ text: String) -> [String] {
    text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("Loss after iteration") }
  }

  /// 120 points of a grid with a real target `sin(a)·b` and a wobble, written with a header row.
  static func targetsCSV() -> String {
    var text = "a,b,t\n"
    for i in 0..<120 {
      let (a, b) = (Double(i % 12) / 3 - 2, Double(i / 12) / 5 - 1)
      text += "\(a),\(b),\(sin(a) * b + 0.1 * cos(Double(i)))\n"
    }
    return text
  }

  /// `make_circles(150, noise=0.1, factor=0.5)`-like rings, written with a header row.
  static func circlesCSV() -> String {
    var text = "x,y,label\n"
    for i in 0..<150 {
      let t = Double(i) * 2 * Double.pi / 75
      let r = i % 2 == 0 ? 1.0 : 0.5
      let wobble = 0.1 * sin(Double(i) * 12.9898)
      text += "\(r * cos(t) + wobble),\(r * sin(t) - wobble),\(i % 2)\n"
    }
    return text
  }
}
