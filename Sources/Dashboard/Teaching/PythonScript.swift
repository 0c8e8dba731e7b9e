import DescentCore
import Foundation

/// A self-contained numpy and scikit-learn script of the post's code, generalized to a setup:
/// the same data, initial weights, minibatch order and update as `descent train` with the same
/// options, printing the same `Loss after iteration i:` lines (to the printed digit where the run
/// is not chaotic: numpy's exp, tanh and sums round their last bits differently).
public enum PythonScript {
  /// The script for `setup`, trained for `passes` iterations and printing every `printEvery`.
  public static func make(_ setup: RunSetup, passes: Int = RunSetup.postPasses, printEvery: Int = 1000) -> String {
    let command = trainCommand(setup, passes: passes, printEvery: printEvery)
    // A batch as large as the training set is the post's full batch (no shuffled order drawn).
    let trainCount = (try? setup.loadData())?.train.count ?? Int.max
    let minibatch = setup.training.batchSize.flatMap { $0 < trainCount ? $0 : nil }
    let annealing = setup.training.anneal != 0
    let L = (setup.widths?.count ?? setup.layers) + 1
    let code = PostCode(
      layers: L, activation: setup.activation, gradient: setup.training.gradient, annealing: annealing,
      batch: minibatch == nil ? ("X", "y", "num_examples") : ("X_batch", "y_batch", "batch_rows"))
    var s = """
      #!/usr/bin/env python3
      # The network of "Implementing a Neural Network from Scratch in Python" (WildML, 2015),
      # generalized to this setup. Written by descent; it prints the same lines as
      #     \(command)
      # (to the printed digit, except where a run is chaotic: numpy rounds the last bit of exp, tanh
      # and its sums its own way, and a few runs amplify that into the printed digits).
      import math

      import numpy as np
      import sklearn.datasets


      """
    s += dataCode(setup)
    s += """

      num_examples = len(X)  # training set size
      nn_input_dim = X.shape[1]  # input layer dimensionality
      nn_output_dim = \(outputClasses(setup))  # output layer dimensionality
      nn_hdims = \(pythonList(setup.widths ?? [Int](repeating: setup.hidden, count: setup.layers)))  # hidden layer sizes

      # Gradient descent parameters
      epsilon = \(python(setup.training.epsilon))  # learning rate for gradient descent
      reg_lambda = \(python(setup.training.lambda))  # regularization strength

      """
    if annealing { s += "anneal = \(python(setup.training.anneal))  # epsilon_t = epsilon / (1 + anneal * i)\n" }
    if let minibatch { s += "batch_size = \(minibatch)  # points per minibatch\n" }
    s += """


      def forward(model, X):
          \(parameterNames(L)) = model
          # Forward propagation
      \(forwardLines(L, setup.activation))
          exp_scores = np.exp(z\(L))
          return exp_scores / np.sum(exp_scores, axis=1, keepdims=True)


      # Helper function to evaluate the total loss on the dataset
      def calculate_loss(model, X, y):
          probs = forward(model, X)
          # Calculating the loss
          corect_logprobs = -np.log(probs[range(len(X)), y])
          data_loss = np.sum(corect_logprobs)
          # Add regulatization term to loss (optional)
          data_loss += reg_lambda / 2 * sum(np.sum(np.square(W)) for W in model[0::2])
          return 1.0 / len(X) * data_loss


      # Helper function to predict an output (0 or 1)
      def predict(model, x):
          return np.argmax(forward(model, x), axis=1)


      def build_model(nn_hdims, num_passes=\(passes), print_loss=False):
          # Initialize the parameters to random values. We need to learn these.
          np.random.seed(\(setup.weightSeed ?? setup.seed))
          sizes = [nn_input_dim] + nn_hdims + [nn_output_dim]
          model = []
          for fan_in, fan_out in zip(sizes, sizes[1:]):
              model.append(\(initCode(setup.weightInit)))
              model.append(np.zeros((1, fan_out)))
          \(parameterNames(L)) = model

      """
    if minibatch != nil {
      s += """
            # Minibatches: the next batch_size points of a shuffled order, reshuffled every epoch
            order, cursor = None, num_examples

        """
    }
    s += """
          # Gradient descent. For each batch...
          for i in range(0, num_passes):

      """
    if minibatch != nil {
      s += """
                rows = []
                while len(rows) < min(batch_size, num_examples):
                    if cursor >= num_examples:
                        order, cursor = np.random.permutation(num_examples), 0
                    rows.append(order[cursor])
                    cursor += 1
                X_batch, y_batch, batch_rows = X[rows], y[rows], len(rows)

        """
    }
    for line in code.lines {
      if line.op == .comment { s += "\n" }
      s += "        \(line.text)\n"
    }
    s += """

              # Assign new parameters to the model
              model = [\(parameterNames(L))]

              # Optionally print the loss.
              if print_loss and i % \(max(1, printEvery)) == 0:

      """
    if setup.testFraction > 0 {
      s += """
                    print("Loss after iteration %i: %f, test loss: %f"
                          % (i, calculate_loss(model, X, y), calculate_loss(model, X_test, y_test)))

        """
    } else {
      s += "            print(\"Loss after iteration %i: %f\" % (i, calculate_loss(model, X, y)))\n"
    }
    s += """

          return model


      model = build_model(nn_hdims, print_loss=\(printEvery > 0 ? "True" : "False"))
      summary = "Final loss %f, training accuracy %.3f" % (calculate_loss(model, X, y), np.mean(predict(model, X) == y))

      """
    if setup.testFraction > 0 {
      s += """
        summary += "; test loss %f, test accuracy %.3f" % (
            calculate_loss(model, X_test, y_test), np.mean(predict(model, X_test) == y_test))

        """
    }
    s += "print(summary)\n"
    return s
  }

  /// The options of the setup the script does not cover (yet): one line naming them, or nil.
  public static func unsupported(_ setup: RunSetup) -> String? {
    var options: [String] = []
    if setup.task != .classification { options.append("--task \(setup.task.rawValue)") }
    if setup.features != .raw { options.append("--features") }
    if setup.training.regularization != .l2 { options.append("--reg \(setup.training.regularization.rawValue)") }
    if setup.training.optimizer != TrainingConfig().optimizer { options.append("--optimizer") }
    if setup.training.dropout > 0 { options.append("--dropout") }
    if setup.initialModel != nil { options.append("--init") }
    if setup.initialization != Initialization() { options.append("a reader's-question initialization") }
    guard !options.isEmpty else { return nil }
    return "the Python export covers the post's options, --hidden W1,W2 and --weight-init; not "
      + options.joined(separator: ", ")
  }

  /// `descent train` with the options that make this setup.
  public static func trainCommand(_ setup: RunSetup, passes: Int, printEvery: Int) -> String {
    var words = Settings(setup: setup).commandLine.split(separator: " ").map(String.init)
    words[0] = "descent train"
    if passes != RunSetup.postPasses { words.append("--passes \(passes)") }
    if printEvery != 1000 { words.append("--print-every \(printEvery)") }
    return words.joined(separator: " ")
  }

  /// The data: scikit-learn's generator as the post calls it, the CS231n spiral and XOR in numpy,
  /// or the CSV file; then the held-out split.
  static func dataCode(_ setup: RunSetup) -> String {
    var s = "# Generate a dataset\n"
    let noise = python(setup.noise ?? kindOf(setup)?.defaultNoise ?? 0)
    switch setup.source {
    case .generated(.moons):
      s += "np.random.seed(\(setup.seed))\nX, y = sklearn.datasets.make_moons(\(setup.samples), noise=\(noise))\n"
    case .generated(.circles):
      s += "np.random.seed(\(setup.seed))\nX, y = sklearn.datasets.make_circles(\(setup.samples), noise=\(noise))\n"
    case .generated(.blobs):
      s +=
        "np.random.seed(\(setup.seed))\nX, y = sklearn.datasets.make_blobs(\(setup.samples), centers=\(setup.classes), cluster_std=\(noise))\n"
    case .generated(.xor):
      s += """
        # XOR: uniform in [-1, 1]², class 1 where the signs differ, then normal noise
        np.random.seed(\(setup.seed))
        X = np.random.uniform(-1, 1, size=(\(setup.samples), 2))
        y = ((X[:, 0] >= 0) != (X[:, 1] >= 0)).astype(int)
        X = X + np.random.normal(scale=\(noise), size=X.shape)

        """
    case .generated(.spiral):
      s += """
        # CS231n's spiral: one arm per class
        np.random.seed(\(setup.seed))
        X, y = np.zeros((\(setup.samples), 2)), np.zeros(\(setup.samples), dtype=int)
        start = 0
        for j in range(\(setup.classes)):
            size = \(setup.samples) // \(setup.classes) + (1 if j < \(setup.samples) % \(setup.classes) else 0)
            r = np.linspace(0.0, 1, size)
            t = np.linspace(j * 4.0, (j + 1) * 4.0, size)
            t = np.array([t[k] + np.random.randn() * \(noise) for k in range(size)])
            X[start:start + size] = np.c_[r * np.sin(t), r * np.cos(t)]
            y[start:start + size] = j
            start += size

        """
    case .generated(let kind):
      s += "raise SystemExit('descent export --python does not cover --dataset \(kind.rawValue)')\n"
    case .file(let path):
      // The absolute path, so the script runs from any folder.
      let path = URL(fileURLWithPath: path).standardizedFileURL.path
      s += """
        # Read the points: feature columns, then an integer class label (a header row is skipped)
        rows = [line.strip().split(",") for line in open(\(pythonString(path))) if line.strip()]
        try:
            [float(v) for v in rows[0]]
        except ValueError:
            rows = rows[1:]
        X = np.array([[float(v) for v in row[:-1]] for row in rows])
        y = np.array([int(float(row[-1])) for row in rows])
        n_classes = max(2, int(y.max()) + 1)

        """
    }
    if setup.testFraction > 0 {
      s += """
        # Hold out a test set: the first ceil(fraction * N) points of a permutation
        order = np.random.RandomState(\(setup.seed)).permutation(len(X))
        n_test = math.ceil(\(python(setup.testFraction)) * len(X))
        X_test, y_test = X[order[:n_test]], y[order[:n_test]]
        X, y = X[order[n_test:]], y[order[n_test:]]

        """
    }
    return s
  }

  /// The output layer's width: the classes the setup asks for, or more if the labels go higher.
  static func outputClasses(_ setup: RunSetup) -> String {
    switch setup.source {
    case .generated(let kind):
      return "\(kind.hasClassCount ? setup.classes : 2)"
    case .file:
      return "n_classes"
    }
  }

  private static func kindOf(_ setup: RunSetup) -> DatasetKind? {
    if case .generated(let kind) = setup.source { return kind }
    return nil
  }

  /// How a layer's weights are drawn (`--weight-init`).
  static func initCode(_ weightInit: WeightInit) -> String {
    switch weightInit {
    case .fanIn: return "np.random.randn(fan_in, fan_out) / np.sqrt(fan_in)"
    case .unit: return "np.random.randn(fan_in, fan_out)"
    case .small: return "0.01 * np.random.randn(fan_in, fan_out)"
    }
  }

  /// `W1, b1, W2, b2` for `L` weight layers.
  static func parameterNames(_ L: Int) -> String {
    (1...L).map { "W\($0), b\($0)" }.joined(separator: ", ")
  }

  /// The forward pass of `forward(model, X)`, indented for a function body.
  static func forwardLines(_ L: Int, _ activation: Activation) -> String {
    var lines: [String] = []
    for l in 0..<L {
      lines.append("    z\(l + 1) = \(l == 0 ? "X" : "a\(l)").dot(W\(l + 1)) + b\(l + 1)")
      if l < L - 1 { lines.append("    a\(l + 1) = \(PostCode.activation(activation, "z\(l + 1)"))") }
    }
    return lines.joined(separator: "\n")
  }

  /// A number as Python reads back the same double.
  static func python(_ x: Double) -> String { "\(x)" }

  static func pythonList(_ values: [Int]) -> String { "[" + values.map(String.init).joined(separator: ", ") + "]" }

  static func pythonString(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }
}
