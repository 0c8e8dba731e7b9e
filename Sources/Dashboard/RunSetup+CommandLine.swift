import DescentCore

extension RunSetup {
  /// The command-line words for the options TensorFlow Playground and ConvNetJS have and the post
  /// does not: features, task, penalty, optimizer and its constants, dropout (none at their defaults).
  var playgroundWords: [String] {
    var words: [String] = []
    if !features.isRaw { words += ["--features", features.description] }
    if task != .classification { words += ["--task", task.rawValue] }
    let t = training
    if t.regularization != .l2 { words += ["--reg", t.regularization.rawValue] }
    let o = t.optimizer
    if o.kind != .gd { words += ["--optimizer", o.kind.rawValue] }
    if (o.kind == .momentum || o.kind == .nesterov) && o.momentum != 0.9 { words += ["--momentum", "\(o.momentum)"] }
    if o.kind == .adam {
      if o.beta1 != 0.9 { words += ["--beta1", "\(o.beta1)"] }
      if o.beta2 != 0.999 { words += ["--beta2", "\(o.beta2)"] }
      if o.epsilon != 1e-8 { words += ["--adam-epsilon", "\(o.epsilon)"] }
    }
    if t.dropout > 0 { words += ["--dropout", "\(t.dropout)"] }
    return words
  }
}
