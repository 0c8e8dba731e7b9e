import DescentCore

/// `descent tour`: the post as a lesson, one stage at a time, everything live.
public enum Tour {
  public static let stages: [TourStage] = {
    let post = RunSetup.post
    func with(_ change: (inout RunSetup) -> Void) -> RunSetup {
      var setup = post
      change(&setup)
      return setup
    }
    return [
      TourStage(
        title: "The data",
        caption:
          "200 points in two interleaved half moons, two classes; no straight line separates them. The colours are the untrained network's guess.",
        setup: post, paused: true),
      TourStage(
        title: "Logistic regression",
        caption:
          "The best straight line (the line drawn over the plot) gets about 85% right: a linear model cannot bend.",
        setup: post, baseline: true, paused: true),
      TourStage(
        title: "A 3-unit network",
        caption:
          "Three tanh hidden units, batch gradient descent, epsilon = lambda = 0.01: the boundary bends round the moons.",
        setup: post, baseline: true, focus: .epsilon),
      TourStage(
        title: "Hidden size",
        caption: "One network per hidden size: 1 unit draws a line, 3 fit the moons, 50 start to chase the noise.",
        setup: post, view: .sweep),
      TourStage(
        title: "Inside the network",
        caption: "Each hidden unit is a soft line, tanh of a weighted sum; the output adds them into the curve.",
        setup: post, view: .units, focus: .hidden),
      TourStage(
        title: "Exercise: minibatches",
        caption: "The gradient from 20 random points at a time: cheaper, noisier steps; the loss curve jitters.",
        setup: with { $0.training.batchSize = 20 }, focus: .batch),
      TourStage(
        title: "Exercise: annealing",
        caption:
          "epsilon / (1 + k t), epsilon 0.03, k 0.001: big steps early, small ones late; it ends lower (0.068) than the post.",
        setup: with {
          $0.training.epsilon = 0.03
          $0.training.anneal = 0.001
        }, focus: .anneal),
      TourStage(
        title: "Exercise: activation",
        caption: "ReLU instead of tanh: the boundary is made of straight pieces. < > on the knob tries sigmoid.",
        setup: with { $0.activation = .relu }, focus: .activation),
      TourStage(
        title: "Exercise: more classes",
        caption: "Three spiral arms: the softmax has one output per class, and it takes more hidden units.",
        setup: with {
          $0.source = .generated(.spiral)
          $0.classes = 3
          $0.samples = 300
          $0.hidden = 20
        }, focus: .classes),
      TourStage(
        title: "Exercise: two hidden layers",
        caption: "Two layers of 5 units: the second bends what the first made, with fewer units in all.",
        setup: with {
          $0.layers = 2
          $0.hidden = 5
        }, focus: .layers),
    ]
  }()
}
