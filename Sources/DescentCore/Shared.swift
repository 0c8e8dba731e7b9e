/// A pointer or buffers handed to the two threads of one `concurrentPerform`: they read the
/// input and each writes only its own rows or blocks.
struct Shared<Value>: @unchecked Sendable {
  let pointer: Value
  init(_ pointer: Value) { self.pointer = pointer }
}
