/// Something that keeps the server from starting, said in one line.
public struct ServeError: Error, CustomStringConvertible {
  public var description: String
  init(_ description: String) { self.description = description }
}
