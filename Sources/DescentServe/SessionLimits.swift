import NIOConcurrencyHelpers

/// How many connections the server holds, in all and per client address.
final class SessionLimits: Sendable {
  let maxSessions: Int
  let perAddress: Int
  private let counts = NIOLockedValueBox<(total: Int, byAddress: [String: Int])>((0, [:]))

  init(maxSessions: Int, perAddress: Int) {
    self.maxSessions = maxSessions
    self.perAddress = perAddress
  }

  enum Admission: Equatable {
    /// Counted: call `release` when it closes.
    case admitted
    /// Over a limit: the client is told why once it has logged in, then disconnected.
    case refused(String)
    /// So far over that the connection is closed at once, unanswered.
    case dropped
  }

  func admit(_ address: String) -> Admission {
    counts.withLockedValue { counts in
      let fromAddress = counts.byAddress[address, default: 0]
      // Refused connections are counted too, until they close (the login timeout bounds that),
      // and past twice the limits they are not even answered.
      if counts.total >= 2 * maxSessions + 10 || fromAddress >= 2 * perAddress + 5 { return .dropped }
      let admission: Admission
      if fromAddress >= perAddress {
        admission = .refused(
          "too many sessions from \(address) (at most \(perAddress) per address); close one and try again")
      } else if counts.total >= maxSessions {
        admission = .refused("the server is full (\(maxSessions) sessions); try again later")
      } else {
        admission = .admitted
      }
      counts.total += 1
      counts.byAddress[address] = fromAddress + 1
      return admission
    }
  }

  /// `admit` counted every connection it did not drop; this uncounts one.
  func release(_ address: String) {
    counts.withLockedValue { counts in
      counts.total -= 1
      let left = counts.byAddress[address, default: 1] - 1
      counts.byAddress[address] = left > 0 ? left : nil
    }
  }
}
