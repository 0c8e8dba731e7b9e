/// A problem with something the user gave: a file, a value. Its message is one line that names
/// what is wrong and what is accepted.
public struct InputError: Error, CustomStringConvertible, Equatable, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
