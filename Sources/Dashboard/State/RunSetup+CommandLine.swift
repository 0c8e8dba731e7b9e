import DescentCore

extension RunSetup {
  /// The command-line words for issue 17's options that are not knobs (the knob rows write
  /// features, optimizer, momentum, reg and dropout): the task and Adam's constants, none at
  /// their defaults.
  var playgroundWords: [String] {
    var words: [String] = []
    if task != .classification { words += ["--task", task.rawValue] }
    let o = training.optimizer
    if o.kind == .adam {
      if o.beta1 != 0.9 { words += ["--beta1", "\(o.beta1)"] }
      if o.beta2 != 0.999 { words += ["--beta2", "\(o.beta2)"] }
      if o.epsilon != 1e-8 { words += ["--adam-epsilon", "\(o.epsilon)"] }
    }
    return words
  }
}
