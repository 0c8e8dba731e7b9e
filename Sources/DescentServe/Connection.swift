import Foundation
import Synchronization

/// One client connection, from accept to close: what its log line says, and whether it may
/// start a dashboard. Touched by its event loop and by the authentication delegate.
final class Connection: Sendable {
  struct State {
    var user: String?
    var authenticated = false
    var failedLogins = 0
    /// Why the connection may not start a dashboard (over a limit), said to the client.
    var refusal: String?
    /// What ended it or was refused, for the log.
    var notes: [String] = []
    var exitStatus: Int32?
    var sessions = 0
  }

  let address: String
  let start = Date()
  let state: Mutex<State>

  init(address: String, refusal: String?) {
    self.address = address
    state = Mutex(State(refusal: refusal))
  }

  func update(_ change: (inout State) -> Void) { state.withLock { change(&$0) } }
  var snapshot: State { state.withLock { $0 } }

  func note(_ text: String) { update { if !$0.notes.contains(text) { $0.notes.append(text) } } }
}
