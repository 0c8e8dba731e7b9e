import Dispatch
import Foundation

/// A backend for tests: a screen of a given size that keeps every frame drawn, and a script of
/// keys, each played once the last frame shows what the step waits for.
final class TestBackend: Backend {
  struct Step {
    /// Play the key once the last frame satisfies this.
    var when: (CellBuffer) -> Bool
    var key: Key
    /// With `.resize`: the window's new size.
    var size: (width: Int, height: Int)?
  }

  private(set) var width: Int
  private(set) var height: Int
  let colors: Int
  let ascii = false
  private var script: [Step]
  private var resized = false
  /// Every frame drawn, in order, and when each was handed over (`DispatchTime` nanoseconds).
  private(set) var frames: [CellBuffer] = []
  private(set) var drawnAt: [UInt64] = []
  private(set) var closed = false
  /// A step whose condition did not come true within `patience` seconds (the loop is then told
  /// to quit, and the test fails on this).
  private(set) var stuck: String?
  private let patience: Double
  private var waitingSince = DispatchTime.now().uptimeNanoseconds

  init(width: Int = 80, height: Int = 24, colors: Int = 256, patience: Double = 60, script: [Step]) {
    self.width = width
    self.height = height
    self.colors = colors
    self.patience = patience
    self.script = script
  }

  var lastFrame: CellBuffer? { frames.last }

  /// Changes the screen's size, as a terminal window being resized.
  func resize(width: Int, height: Int) {
    self.width = width
    self.height = height
    resized = true
  }

  func read(timeout milliseconds: Int32) -> Key? {
    if let step = script.first, let frame = frames.last, step.when(frame) {
      script.removeFirst()
      waitingSince = DispatchTime.now().uptimeNanoseconds
      if let size = step.size { resize(width: size.width, height: size.height) }
      return step.key
    }
    if !script.isEmpty, Double(DispatchTime.now().uptimeNanoseconds - waitingSince) / 1e9 > patience {
      stuck = "no frame came for step \(script.count) from the end; the last frame:\n\(frames.last?.text ?? "none")"
      script = []
      return .char("q")
    }
    usleep(UInt32(min(milliseconds, 5)) * 1000)
    return nil
  }

  func takeResize() -> Bool {
    defer { resized = false }
    return resized
  }

  func draw(_ buffer: CellBuffer) {
    frames.append(buffer)
    drawnAt.append(DispatchTime.now().uptimeNanoseconds)
  }

  /// Milliseconds from the first frame that satisfies `first` to the first after it that
  /// satisfies `then`: how long the screen showed some work going on.
  func milliseconds(from first: (CellBuffer) -> Bool, to then: (CellBuffer) -> Bool) -> Double? {
    guard let start = frames.firstIndex(where: first), let end = frames[start...].firstIndex(where: then) else {
      return nil
    }
    return Double(drawnAt[end] - drawnAt[start]) / 1e6
  }

  func close() { closed = true }

  let inForeground = true
  func repaint() {}
}

extension TestBackend.Step {
  /// Plays `key` once the screen shows `text`.
  static func on(_ text: String, press key: Key) -> Self { Self(when: { $0.text.contains(text) }, key: key) }
  /// Plays `key` at the next chance.
  static func press(_ key: Key) -> Self { Self(when: { _ in true }, key: key) }
  /// Resizes the window once the screen shows `text`.
  static func on(_ text: String, resizeTo width: Int, _ height: Int) -> Self {
    Self(when: { $0.text.contains(text) }, key: .resize, size: (width, height))
  }
}
