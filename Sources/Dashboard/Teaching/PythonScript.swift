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
    let training = setup.training
    let L = setup.hiddenWidths.count + 1
    var shape = PostCode.Shape(layers: L)
    shape.activation = setup.activation
    shape.gradient = training.gradient
    shape.annealing = training.anneal != 0
    shape.task = setup.task
    shape.features = setup.features
    shape.regularization = training.regularization
    shape.optimizer = training.optimizer.kind
    shape.dropout = training.dropout > 0
    let code = PostCode(
      shape, batch: minibatch == nil ? ("X", "y", "num_examples") : ("X_batch", "y_batch", "batch_rows"))
    let regression = setup.task == .regression
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
    if !setup.features.isRaw {
      s += """

        # The input features the network reads, worked out from each point's own columns
        def features(P):
            return np.column_stack([\(setup.features.list.map(featureCode).joined(separator: ", "))])


        X = features(X)

        """
      if setup.testFraction > 0 { s += "X_test = features(X_test)\n" }
    }
    s += """

      num_examples = len(X)  # training set size
      nn_input_dim = X.shape[1]  # input layer dimensionality
      nn_output_dim = \(regression ? "1" : outputClasses(setup))  # output layer dimensionality\(regression ? " (one linear unit)" : "")
      nn_hdims = \(pythonList(setup.hiddenWidths))  # hidden layer sizes

      # Gradient descent parameters
      epsilon = \(python(training.epsilon))  # learning rate for gradient descent
      reg_lambda = \(python(training.lambda))  # regularization strength\(training.regularization == .l1 ? " (L1)" : "")

      """
    if shape.annealing { s += "anneal = \(python(training.anneal))  # epsilon_t = epsilon / (1 + anneal * i)\n" }
    if let minibatch { s += "batch_size = \(minibatch)  # points per minibatch\n" }
    switch training.optimizer.kind {
    case .gd: break
    case .momentum, .nesterov: s += "mu = \(python(training.optimizer.momentum))  # momentum\n"
    case .adam:
      s += """
        beta1 = \(python(training.optimizer.beta1))  # Adam's decay of the first moment
        beta2 = \(python(training.optimizer.beta2))  # and of the second
        adam_eps = \(python(training.optimizer.epsilon))  # added to the root of the second moment

        """
    }
    if shape.dropout { s += "dropout = \(python(training.dropout))  # the probability a hidden unit is dropped\n" }
    let penalty =
      training.regularization == .l1
      ? "reg_lambda * sum(np.sum(np.abs(W)) for W in model[0::2])"
      : "reg_lambda / 2 * sum(np.sum(np.square(W)) for W in model[0::2])"
    s += """


      def forward(model, X):
          \(parameterNames(L)) = model
          # Forward propagation (no dropout: the loss and predictions use every unit)
      \(forwardLines(L, setup.activation))

      """
    if regression {
      s += """
            return z\(L)


        # Helper function to evaluate the total loss on the dataset
        def calculate_loss(model, X, y):
            yhat = forward(model, X)
            # The squared loss: half the squared error of each point
            data_loss = 0.5 * np.sum(np.square(yhat[:, 0] - y))
            # Add regulatization term to loss (optional)
            data_loss += \(penalty)
            return 1.0 / len(X) * data_loss


        # The root of the mean squared error
        def rmse(model, X, y):
            return np.sqrt(np.sum(np.square(forward(model, X)[:, 0] - y)) / len(X))

        """
    } else {
      s += """
            exp_scores = np.exp(z\(L))
            return exp_scores / np.sum(exp_scores, axis=1, keepdims=True)


        # Helper function to evaluate the total loss on the dataset
        def calculate_loss(model, X, y):
            probs = forward(model, X)
            # Calculating the loss
            corect_logprobs = -np.log(probs[range(len(X)), y])
            data_loss = np.sum(corect_logprobs)
            # Add regulatization term to loss (optional)
            data_loss += \(penalty)
            return 1.0 / len(X) * data_loss


        # Helper function to predict an output (0 or 1)
        def predict(model, x):
            return np.argmax(forward(model, x), axis=1)

        """
    }
    s += """


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
    switch training.optimizer.kind {
    case .gd: break
    case .momentum, .nesterov:
      s += """
            # The velocity of each parameter, starting at 0
            \(parameterNames(L, prefix: "v")) = [np.zeros_like(p) for p in model]

        """
    case .adam:
      s += """
            # Adam's moments of each parameter, starting at 0, and its step count
            \(parameterNames(L, prefix: "m")) = [np.zeros_like(p) for p in model]
            \(parameterNames(L, prefix: "s")) = [np.zeros_like(p) for p in model]
            t = 0

        """
    }
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

      """
    let score = { (x: String, y: String) in
      regression ? "\"RMSE %f\" % rmse(model, \(x), \(y))" : "\"accuracy %.3f\" % np.mean(predict(model, \(x)) == \(y))"
    }
    s += "summary = \"Final loss %f, training \" % calculate_loss(model, X, y) + \(score("X", "y"))\n"
    if setup.testFraction > 0 {
      s += """
        summary += "; test loss %f, test " % calculate_loss(model, X_test, y_test) + \(score("X_test", "y_test"))

        """
    }
    s += "print(summary)\n"
    return s
  }

  /// The options of the setup the script does not cover: one line naming them, or nil.
  public static func unsupported(_ setup: RunSetup) -> String? {
    var options: [String] = []
    if setup.initialModel != nil { options.append("--init") }
    if setup.initialization != Initialization() || setup.training.misreading != .none {
      options.append("a reader's-question experiment")
    }
    guard !options.isEmpty else { return nil }
    return "the Python export covers every option of descent train but " + options.joined(separator: ", ")
  }

  /// A feature of the points `P` as numpy code (`scripts/post_numpy.py`'s definitions).
  static func featureCode(_ feature: InputFeature) -> String {
    switch feature {
    case .x1: return "P[:, 0]"
    case .x2: return "P[:, 1]"
    case .x1sq: return "P[:, 0] * P[:, 0]"
    case .x2sq: return "P[:, 1] * P[:, 1]"
    case .x1x2: return "P[:, 0] * P[:, 1]"
    case .sinx1: return "np.sin(P[:, 0])"
    case .sinx2: return "np.sin(P[:, 1])"
    }
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
    case .generated(.plane), .generated(.gauss):
      let plane = setup.source == .generated(.plane)
      s += """
        # TensorFlow Playground's \(plane ? "regressPlane" : "regressGaussian") (dataset.ts), numpy's
        # random_sample for Math.random: points uniform in [-6, 6]^2, a target read at the point
        # moved by noise times a uniform draw on each axis
        def label(x, y):

        """
      if plane {
        s += """
              t = (x + y - -10) / 20  # x + y scaled from [-10, 10] to [-1, 1]
              return -1 * (1 - t) + 1 * t

          """
      } else {
        s += """
              best = 0.0  # the bump largest in size, each 1 - d/2 clamped to [0, 1] at distance d
              for cx, cy, sign in [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]:
                  dx, dy = x - cx, y - cy
                  t = min(1.0, max(0.0, (math.sqrt(dx * dx + dy * dy) - 0) / 2))
                  value = sign * (1 * (1 - t) + 0 * t)
                  if abs(value) > abs(best):
                      best = value
              return best

          """
      }
      s += """


        np.random.seed(\(setup.seed))
        X, y = np.zeros((\(setup.samples), 2)), np.zeros(\(setup.samples))
        for k in range(\(setup.samples)):
            X[k] = np.random.random_sample() * 12 + -6, np.random.random_sample() * 12 + -6
            noise_x = (np.random.random_sample() * 12 + -6) * \(noise)
            noise_y = (np.random.random_sample() * 12 + -6) * \(noise)
            y[k] = label(X[k, 0] + noise_x, X[k, 1] + noise_y)

        """
    case .generated(.sine):
      s += """
        # One input x uniform in [-3, 3], the target sin(x) plus normal noise
        np.random.seed(\(setup.seed))
        X = (np.random.random_sample(\(setup.samples)) * 6 + -3).reshape(-1, 1)
        y = np.sin(X[:, 0]) + np.random.normal(scale=\(noise), size=\(setup.samples))

        """
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

        """
      s +=
        setup.task == .regression
        ? "y = np.array([float(row[-1]) for row in rows])  # a real target\n"
        : "y = np.array([int(float(row[-1])) for row in rows])\nn_classes = max(2, int(y.max()) + 1)\n"
      s += """

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

  /// `W1, b1, W2, b2` for `L` weight layers (`vW1, vb1, …` with a prefix).
  static func parameterNames(_ L: Int, prefix: String = "") -> String {
    (1...L).map { "\(prefix)W\($0), \(prefix)b\($0)" }.joined(separator: ", ")
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
