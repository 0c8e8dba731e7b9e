/// A latest-value mailbox: the writer replaces, the reader takes the newest; older values are
/// dropped, so memory stays flat however fast the writer is.
public final class Mailbox<Value: Sendable>: Sendable {
  private let slot = Locked<Value?>(nil)
  public init() {}
  public func post(_ value: Value) { slot.withLock { $0 = value } }
  /// The newest value since the last take, if any.
  public func take() -> Value? {
    slot.withLock { value in
      defer { value = nil }; return value
    }
  }
}
