/// A line for the status bar, and what kind of news it is.
public struct Message: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// Something the user asked for was done (an export written).
    case done
    /// Something could not be done.
    case error
    /// A hint, or what a key now does.
    case information
  }

  public var text: String
  public var kind: Kind
  /// When it was shown (`DispatchTime` nanoseconds), for how long it stays.
  public var since: UInt64
}
