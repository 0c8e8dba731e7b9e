import Foundation
import NIOConcurrencyHelpers

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
    /// Its dashboard's process, once started.
    var dashboard: pid_t?
    /// Why the server ended it, said to the client once its dashboard has left.
    var ending: String?
  }

  let address: String
  let start = Date()
  let state: NIOLockedValueBox<State>

  init(address: String, refusal: String?) {
    self.address = address
    state = NIOLockedValueBox(State(refusal: refusal))
  }

  func update(_ change: (inout State) -> Void) { state.withLockedValue { change(&$0) } }
  /// A copy whose notes share no buffer with the live state: a shared buffer would be read after
  /// the lock while the next `note` appends to it in place, ordered only by its reference count.
  var snapshot: State {
    state.withLockedValue { state in
      var copy = state
      copy.notes = state.notes.map { $0 }  // a new buffer; `Array(_:)` would share it
      return copy
    }
  }

  func note(_ text: String) { update { if !$0.notes.contains(text) { $0.notes.append(text) } } }
}
