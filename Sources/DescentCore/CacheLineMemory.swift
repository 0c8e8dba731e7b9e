/// The kernels' buffers start on a cache line: their vectors (64 bytes an AVX-512 register, 32
/// an AVX2 one) then never straddle two lines, where malloc's 16-byte alignment would split
/// three loads in four, a different share in each process.
extension UnsafeMutablePointer {
  /// Room for `capacity` values, starting on a 64-byte boundary (released with `deallocate()`).
  static func allocateOnCacheLine(capacity: Int) -> Self {
    UnsafeMutableRawPointer.allocate(byteCount: Swift.max(1, capacity) * MemoryLayout<Pointee>.stride, alignment: 64)
      .bindMemory(to: Pointee.self, capacity: capacity)
  }
}
