import ArgumentParser
import Dashboard
import Foundation

/// `descent themes`: the themes there are, with a small preview.
struct Themes: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the colour themes with a preview, or check a theme file.",
    subcommands: [List.self, Check.self],
    defaultSubcommand: List.self)

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the themes (shipped and your own).")

    func run() throws {
      let color = isatty(STDOUT_FILENO) == 1 && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
      print("Themes (use with --theme NAME, or press t in the dashboard); yours go in \(ThemeCatalog.userFolder())/")
      for name in ThemeCatalog.names() {
        do throws(ThemeProblems) {
          let theme = try ThemeCatalog.load(name)
          print(
            "  \(name.padding(toLength: 11, withPad: " ", startingAt: 0)) \(preview(theme, color: color))  \(theme.summary)"
          )
        } catch {
          print("  \(name.padding(toLength: 11, withPad: " ", startingAt: 0)) broken: \(error.problems[0])")
        }
      }
    }

    /// The class glyphs on their regions, in 24-bit colour when printing to a terminal.
    func preview(_ theme: Theme, color: Bool) -> String {
      (0..<4).map { k in
        let glyph = String(theme.glyph(k))
        guard color, !theme.monochrome else { return glyph + " " }
        let fg = theme.classColor(k)
        let bg = theme.regionColor(k)
        return "\u{1b}[1;38;2;\(fg.r);\(fg.g);\(fg.b);48;2;\(bg.r);\(bg.g);\(bg.b)m\(glyph) \u{1b}[0m"
      }.joined()
    }
  }

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check a theme file and report every problem with its line.")

    @Argument(help: "The theme file (.toml).")
    var file: String

    func run() throws {
      do throws(ThemeProblems) {
        let theme = try ThemeCatalog.loadFile(file)
        print("\(file): ok (\(theme.name): \(theme.summary))")
      } catch {
        for problem in error.problems { FileHandle.standardError.write(Data("descent: \(problem)\n".utf8)) }
        throw ExitCode(1)
      }
    }
  }
}
