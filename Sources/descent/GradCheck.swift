import ArgumentParser
import DescentCore

/// `descent gradcheck`: backpropagation against finite differences.
struct GradCheck: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gradcheck",
    abstract:
      "Check backpropagation against centered finite differences for every activation, depth and class count, and for widths, features, regression, L1 and dropout."
  )

  @Option(help: "Largest relative error accepted, above 0 and at most 1.")
  var tolerance = 1e-6

  func validate() throws {
    guard tolerance > 0 && tolerance <= 1 else {
      throw ValidationError("--tolerance must be above 0 and at most 1; got \(tolerance)")
    }
  }

  func run() throws {
    print("activation  hidden layers  classes  parameters  worst relative error")
    var failures = 0
    for result in GradientCheck.standardCases() {
      let ok = result.worstRelativeError <= tolerance
      if !ok { failures += 1 }
      let cells = [
        result.activation.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0),
        String(result.hiddenLayers).leftPadded(13), String(result.classes).leftPadded(8),
        String(result.parameters).leftPadded(11),
        String(format: "%.2e", result.worstRelativeError).leftPadded(21), ok ? "ok" : "FAIL",
      ]
      print(cells.joined(separator: "  "))
    }
    print("")
    print("combination                          parameters  worst relative error")
    let combinations = GradientCheck.playgroundCases()
    for result in combinations {
      let ok = result.worstRelativeError <= tolerance
      if !ok { failures += 1 }
      let cells = [
        result.name.padding(toLength: 35, withPad: " ", startingAt: 0), String(result.parameters).leftPadded(10),
        String(format: "%.2e", result.worstRelativeError).leftPadded(20), ok ? "ok" : "FAIL",
      ]
      print(cells.joined(separator: "  "))
    }
    if failures > 0 {
      throw InputError("gradient check failed in \(failures) case(s): relative error above \(tolerance)")
    }
    print("All \(27 + combinations.count) cases within \(tolerance).")
  }
}

extension String {
  func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
