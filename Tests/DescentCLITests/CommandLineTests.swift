import Foundation
import Testing

@Suite("The command line helps a user who mistypes", .ownThreads)
struct CommandLineTests {
  @Test func versionPrintsOneLine() throws {
    let result = try CLI.run(["--version"])
    #expect(result.status == 0)
    #expect(result.stdout.wholeMatch(of: /descent \d+\.\d+\.\d+\n/) != nil, "\(result.stdout)")
  }

  static let mistakes: [([String], String)] = [
    (["trian"], "descent: 'trian' is not a command; did you mean 'train'? (descent --help lists them)"),
    (["tuor"], "descent: 'tuor' is not a command; did you mean 'tour'? (descent --help lists them)"),
    (["gradchek"], "descent: 'gradchek' is not a command; did you mean 'gradcheck'? (descent --help lists them)"),
    (["train", "--epsilno", "0.1"], "descent: Unknown option '--epsilno'. Did you mean '--epsilon'?"),
    (["--hiden", "3"], "descent: Unknown option '--hiden'. Did you mean '--hidden'?"),
    (["--epsilon", "-1"], "descent: --epsilon must be above 0 and at most 100; got -1.0"),
    (["train", "--hidden", "-3"], "descent: --hidden must be from 1 to 1024; got -3"),
    (["train", "--noise", "-0.5"], "descent: --noise must be from 0.0 to 10.0; got -0.5"),
    (["train", "--lambda", "-1e-3"], "descent: --lambda must be from 0.0 to 100.0; got -0.001"),
  ]

  @Test(arguments: mistakes)
  func aMistakeGetsASuggestionOrTheRange(_ c: ([String], String)) throws {
    let result = try CLI.run(c.0)
    #expect(result.status == 64)
    #expect(result.stderr == c.1 + "\n")
  }

  @Test(arguments: ["bash", "zsh", "fish"])
  func completionScriptsKnowTheCommandsAndOptions(shell: String) throws {
    let result = try CLI.run(["--generate-completion-script", shell])
    #expect(result.status == 0)
    for word in ["train", "tour", "epsilon", "theme"] {
      #expect(result.stdout.contains(word), "\(shell) completion lacks \(word)")
    }
  }
}
