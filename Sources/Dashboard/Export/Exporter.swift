import DescentCore
import Dispatch
import Foundation
import Synchronization

/// Writes exports on a queue of their own, so a large figure never stalls the screen; one at a
/// time, and the app waits for the last one before it exits.
final class Exporter: Sendable {
  private let queue = DispatchQueue(label: "descent.export", qos: .utility)
  private let running = Atomic<Bool>(false)
  /// What became of the last export, for the status line.
  let results = Mailbox<(text: String, kind: Message.Kind)>()

  /// Starts an export, unless one is being written; false then.
  func start(
    snapshot: Snapshot, settings: Settings, theme: Theme, logScale: Bool, baseline: Bool, command: String
  ) -> Bool {
    guard !running.exchange(true, ordering: .acquiringAndReleasing) else { return false }
    queue.async { [self] in
      do {
        let folder = try Export.write(
          snapshot: snapshot, settings: settings, theme: theme, logScale: logScale, baseline: baseline,
          command: command)
        results.post(
          ("exported to \(folder)/ (boundary.svg, model.json, loss.csv, data.csv, command.txt)", .done))
      } catch {
        results.post(("export failed: \(error)", .error))
      }
      running.store(false, ordering: .releasing)
    }
    return true
  }

  /// Waits for an export being written.
  func finish() { queue.sync {} }
}
