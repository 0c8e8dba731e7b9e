import Foundation
import Testing

@testable import descent

/// `DESCENT_KERNELS=avx2 descent bench` on an AVX-512 machine measures an AVX2 machine: each of
/// the peers' limits is checked against the tool it limits, and the unlimited peer against the
/// same check, so the check can tell the two apart wherever the CPU has AVX-512.
@Suite("descent bench's peers held to AVX2")
struct BenchPeerLimitsTests {
  /// The CPU's flags, as Linux lists them.
  static let cpuFlags: [Substring] = {
    let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    return (text.split(separator: "\n").first { $0.hasPrefix("flags") } ?? "").split(separator: " ")
  }()
  static var hasAVX512: Bool { cpuFlags.contains("avx512f") }
  /// Whether there is a C compiler (CI installs one).
  static let hasCC = (try? runProcess(["/usr/bin/env", "cc", "--version"]))?.status == 0

  /// The C loop's flags leave the compiler no AVX-512, and still AVX2 (`-march=native` keeps the
  /// machine's tuning).
  @Test(.enabled(if: BenchPeerLimitsTests.cpuFlags.contains("avx2") && (BenchPeerLimitsTests.hasCC || Tmux.inCI)))
  func theCLoopIsCompiledForAVX2() throws {
    let source = ThemeEndToEndRoot.path + "/scripts/bench/post_step.c"
    func macros(_ limits: PeerLimits) throws -> [Substring] {
      let loop = try #require(CLoop(source: source, limits: limits))
      let result = try runProcess(["/usr/bin/env", "cc"] + loop.flags + ["-dM", "-E", "-x", "c", "/dev/null"])
      #expect(result.status == 0)
      return result.output.split(separator: "\n")
    }
    let held = try macros(.avx2)
    #expect(!held.contains { $0.hasPrefix("#define __AVX512F__ ") })
    #expect(held.contains { $0.hasPrefix("#define __AVX2__ ") })
    if Self.hasAVX512 {
      #expect(try macros(.unlimited).contains { $0.hasPrefix("#define __AVX512F__ ") })
    }
  }

  /// numpy, run as the numpy peer is, dispatches none of its AVX-512 loops.
  @Test(.enabled(if: hasNumpy || Tmux.inCI)) func numpyDispatchesNothingPastAVX2() throws {
    let script = """
      try:
          from numpy._core._multiarray_umath import __cpu_features__ as on, __cpu_dispatch__ as targets
      except ImportError:
          from numpy.core._multiarray_umath import __cpu_features__ as on, __cpu_dispatch__ as targets
      print(" ".join(t for t in targets if on.get(t)))
      """
    func used(_ limits: PeerLimits) throws -> [Substring] {
      // Whatever the tests' own environment says to numpy, the limits alone decide.
      let clean = ["-u", "NPY_DISABLE_CPU_FEATURES", "-u", "NPY_ENABLE_CPU_FEATURES"]
      let result = try runProcess(["/usr/bin/env"] + clean + limits.numpy + ["python3", "-c", script])
      #expect(result.status == 0)
      return result.output.split(whereSeparator: \.isWhitespace)
    }
    let held = try used(.avx2)
    #expect(!held.contains { $0.contains("512") || $0 == "X86_V4" }, "\(held)")
    if Self.hasAVX512 {
      #expect(try used(.unlimited).contains { $0.contains("512") || $0 == "X86_V4" })
    }
  }

  /// XLA takes the jax peer's flag (an unknown one stops it before it runs anything).
  @Test(.enabled(if: Peer.pythonImports("jax") || Tmux.inCI)) func jaxTakesTheFlag() throws {
    let script = "import jax.numpy as jnp; print(float(jnp.tanh(jnp.ones(3)).sum()))"
    let result = try runProcess(["/usr/bin/env"] + PeerLimits.avx2.jax + ["python3", "-c", script])
    #expect(result.status == 0)
    #expect(result.output.hasPrefix("2.28"), "\(result.output)")
    let wrong = try runProcess(["/usr/bin/env", "XLA_FLAGS=--xla_cpu_max_isa_typo=AVX2", "python3", "-c", script])
    #expect(wrong.status != 0)
  }
}
