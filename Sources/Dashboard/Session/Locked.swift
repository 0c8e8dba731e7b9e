import Glibc

/// A value shared between threads behind a pthread mutex.
///
/// Why not `Synchronization.Mutex`: on Linux its lock is a futex inside the toolchain's
/// uninstrumented library, so `swift test --sanitize=thread` cannot see it and reports races that
/// are not there (it did, on the command queue, during a key storm). The thread sanitizer does
/// intercept pthread mutexes, so with this it checks the rest of the program for real.
final class Locked<Value>: @unchecked Sendable {
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private var value: Value

  init(_ value: Value) {
    self.value = value
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// Runs `body` with the value while holding the lock.
  func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}
