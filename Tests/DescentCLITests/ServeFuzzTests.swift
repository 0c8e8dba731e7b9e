import Foundation
import Glibc
import Testing

/// The server's input, garbled: random bytes, truncated and malformed packets after the version
/// exchange, over a raw TCP socket. The server must drop each such connection and keep serving.
@Suite("descent serve, fuzzed", .ownThreads, .enabled(if: ServeHarness.sshAvailable))
struct ServeFuzzTests {
  /// SplitMix64, so a failing run can be repeated from its seed.
  struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static func packet(_ payload: [UInt8], padding: Int) -> [UInt8] {
    let length = UInt32(payload.count + padding + 1)
    return [UInt8(length >> 24), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)]
      + [UInt8(padding)] + payload + [UInt8](repeating: 0, count: padding)
  }

  /// One connection's worth of garbage after the version exchange.
  static func garbage(_ random: inout Generator) -> [UInt8] {
    func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) } }
    switch Int.random(in: 0..<5, using: &random) {
    case 0:
      return bytes(Int.random(in: 1...4096, using: &random))
    case 1:
      // A well-framed packet of a random message type, cut off anywhere.
      let whole = packet(
        [UInt8.random(in: 0...255, using: &random)] + bytes(Int.random(in: 0...600, using: &random)),
        padding: Int.random(in: 4...16, using: &random))
      return Array(whole.prefix(Int.random(in: 1...whole.count, using: &random)))
    case 2:
      // A key exchange init (message 20) whose name lists are random lengths and bytes.
      var payload: [UInt8] = [20] + bytes(16)
      for _ in 0..<10 {
        let length = Int.random(in: 0...80, using: &random)
        let claimed = Bool.random(using: &random) ? length : Int.random(in: 0...100_000, using: &random)
        payload += [
          UInt8(claimed >> 24 & 0xff), UInt8(claimed >> 16 & 0xff), UInt8(claimed >> 8 & 0xff), UInt8(claimed & 0xff),
        ]
        payload += bytes(length)
      }
      return packet(payload + [0, 0, 0, 0, 0], padding: 8)
    case 3:
      // A length field far past any packet the server accepts.
      return [0xff, 0xff, 0xff, UInt8.random(in: 0...255, using: &random)] + bytes(64)
    default:
      // Several small valid-looking packets (ignore, debug, unimplemented, service request...).
      return (0..<Int.random(in: 1...8, using: &random)).flatMap { _ in
        packet(
          [[2, 4, 3, 5, 50, 90, 98][Int.random(in: 0..<7, using: &random)]]
            + bytes(Int.random(in: 0...40, using: &random)),
          padding: Int.random(in: 4...12, using: &random))
      }
    }
  }

  static func connect(_ port: Int) -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      close(fd)
      return nil
    }
    return fd
  }

  /// The server's version line, read byte by byte.
  static func versionLine(_ fd: Int32) -> String {
    var line: [UInt8] = []
    var byte: UInt8 = 0
    while line.count < 255, read(fd, &byte, 1) == 1 {
      line.append(byte)
      if byte == 10 { break }
    }
    return String(decoding: line, as: UTF8.self)
  }

  @Test func garbledPacketsNeverBringTheServerDown() throws {
    let server = try ServeHarness(["--open", "--per-address", "1000", "--max-sessions", "1000"])
    let seed = UInt64.random(in: 0...UInt64.max)
    var random = Generator(state: seed)
    let connections = 300
    for round in 0..<connections {
      guard let fd = Self.connect(server.port) else {
        Issue.record("connection \(round) refused (seed \(seed)); the server printed:\n\(server.output)")
        break
      }
      let version = Self.versionLine(fd)
      #expect(version.hasPrefix("SSH-2.0-"), "round \(round), seed \(seed): \(version)")
      let bytes = Array("SSH-2.0-fuzz_1.0\r\n".utf8) + Self.garbage(&random)
      _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      if Bool.random(using: &random) {
        var sink = [UInt8](repeating: 0, count: 4096)
        var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = read(fd, &sink, sink.count)
      }
      close(fd)
      if round % 50 == 49 {
        try #require(server.exitStatus() == nil, "the server exited (seed \(seed)); it printed:\n\(server.output)")
      }
    }
    #expect(server.exitStatus() == nil)
    // And it still serves a real client.
    let shell = try Launch.run(server.ssh(["-o", "BatchMode=yes"], command: ["sh"]))
    #expect(shell.output.contains("descent serve: 'sh' is not a dashboard command"), "seed \(seed)")
    #expect(server.stop() == 0)
    #expect(!server.output.contains("Fatal error"))
  }
}
