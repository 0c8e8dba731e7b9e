// libFuzzer harness: the theme reader must return a theme or throw ThemeProblems, never crash.
// Built and run by scripts/fuzz.sh.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Data(bytes: data, count: size)
  guard !bytes.contains(0), let text = String(data: bytes, encoding: .utf8) else { return 0 }
  do throws(ThemeProblems) {
    let theme = try Theme.parse(text, file: "fuzz")
    precondition(theme.classes.count >= 2 && !theme.glyphs.isEmpty)
  } catch {
    precondition(!error.problems.isEmpty)
  }
  return 0
}
