/// What the run loop draws on and reads keys from: the real terminal (`Terminal`), or
/// `TestBackend`, which plays keys to the loop in-process and keeps the frames it is given.
public protocol Backend: AnyObject {
  var width: Int { get }
  var height: Int { get }
  /// How many colours it shows (0 without colour).
  var colors: Int { get }
  /// Whether it draws in ASCII (`Glyphs`): no UTF-8 locale, or `--ascii`.
  var ascii: Bool { get }
  /// Waits up to `milliseconds` for a key (0 polls); nil if none came.
  func read(timeout milliseconds: Int32) -> Key?
  /// Whether the window was resized since the last call (the next frame is then drawn whole).
  func takeResize() -> Bool
  /// Shows a frame.
  func draw(_ buffer: CellBuffer)
  /// Gives the screen back.
  func close()
}

extension Terminal: Backend {}
