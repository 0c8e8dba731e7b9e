import DescentKernels
import DescentKernelsAVX512
import Foundation

/// Whether this CPU runs the AVX-512 build of the kernels. Linux lists in /proc/cpuinfo the
/// features it has enabled; anywhere else the portable build is used, and where
/// `DESCENT_KERNELS=portable` asks for it (valgrind, which cannot run AVX-512, for one).
let wideKernels: Bool = {
  guard ProcessInfo.processInfo.environment["DESCENT_KERNELS"] != "portable",
    let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
    let flags = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
  else { return false }
  let have = Set(flags.split(separator: " ").map(String.init))
  return ["avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"].allSatisfy(have.contains)
}()

/// The kernel build this CPU runs, for benchmark reports.
public var kernelBuild: String {
  if wideKernels { return "AVX-512" }
  let forced = ProcessInfo.processInfo.environment["DESCENT_KERNELS"] == "portable"
  return forced ? "portable (DESCENT_KERNELS=portable)" : "portable (no AVX-512 on this CPU)"
}

// Each kernel from the build the CPU runs; both give the same numbers to the last bit.

/// `C = A·B` for A (m x k) and B (k x n): the forward pass `z = a·W`.
@inline(__always)
func matmul(
  _ A: UnsafePointer<Double>, _ B: UnsafePointer<Double>, into C: UnsafeMutablePointer<Double>, m: Int, k: Int, n: Int
) {
  if wideKernels {
    DescentKernelsAVX512.matmul(A, B, into: C, m: m, k: k, n: n)
  } else {
    DescentKernels.matmul(A, B, into: C, m: m, k: k, n: n)
  }
}

/// `C = Aᵀ·B` for A (k x m) and B (k x n): the weight gradient `dW = aᵀ·δ`.
@inline(__always)
func matmulTransposedA(
  _ A: UnsafePointer<Double>, _ B: UnsafePointer<Double>, into C: UnsafeMutablePointer<Double>, k: Int, m: Int, n: Int
) {
  if wideKernels {
    DescentKernelsAVX512.matmulTransposedA(A, B, into: C, k: k, m: m, n: n)
  } else {
    DescentKernels.matmulTransposedA(A, B, into: C, k: k, m: m, n: n)
  }
}

/// `C = A·Bᵀ` for A (m x k) and B (n x k): the backward pass `δ·Wᵀ`.
@inline(__always)
func matmulTransposedB(
  _ A: UnsafePointer<Double>, _ B: UnsafePointer<Double>, into C: UnsafeMutablePointer<Double>, m: Int, k: Int, n: Int,
  scratch: UnsafeMutablePointer<Double>
) {
  if wideKernels {
    DescentKernelsAVX512.matmulTransposedB(A, B, into: C, m: m, k: k, n: n, scratch: scratch)
  } else {
    DescentKernels.matmulTransposedB(A, B, into: C, m: m, k: k, n: n, scratch: scratch)
  }
}

/// `z += b` broadcast over the rows of z (m x n).
@inline(__always)
func addRowVector(_ b: UnsafePointer<Double>, to z: UnsafeMutablePointer<Double>, m: Int, n: Int) {
  if wideKernels {
    DescentKernelsAVX512.addRowVector(b, to: z, m: m, n: n)
  } else {
    DescentKernels.addRowVector(b, to: z, m: m, n: n)
  }
}

/// `s = Σ_rows A` (`np.sum(delta, axis=0)`): the bias gradient.
@inline(__always)
func columnSums(_ A: UnsafePointer<Double>, into s: UnsafeMutablePointer<Double>, m: Int, n: Int) {
  if wideKernels {
    DescentKernelsAVX512.columnSums(A, into: s, m: m, n: n)
  } else {
    DescentKernels.columnSums(A, into: s, m: m, n: n)
  }
}

/// Each row of scores turned into probabilities in place, `exp(z) / Σ exp(z)`.
@inline(__always)
func softmaxRows(_ z: UnsafeMutablePointer<Double>, m: Int, n: Int) {
  if wideKernels {
    DescentKernelsAVX512.softmaxRows(z, m: m, n: n)
  } else {
    DescentKernels.softmaxRows(z, m: m, n: n)
  }
}

extension Activation {
  /// `a = f(z)` over a buffer in place, eight lanes at a time (the forward pass's kernel).
  @inline(__always)
  func applyInPlace(_ z: UnsafeMutablePointer<Double>, count: Int) {
    switch (self, wideKernels) {
    case (.tanh, true): DescentKernelsAVX512.tanhInPlace(z, count: count)
    case (.tanh, false): DescentKernels.tanhInPlace(z, count: count)
    case (.sigmoid, true): DescentKernelsAVX512.sigmoidInPlace(z, count: count)
    case (.sigmoid, false): DescentKernels.sigmoidInPlace(z, count: count)
    case (.relu, true): DescentKernelsAVX512.reluInPlace(z, count: count)
    case (.relu, false): DescentKernels.reluInPlace(z, count: count)
    }
  }

  /// `δ ∘= f'(z)`, from the outputs `a` (the backward pass's `delta2 = ... * (1 - a1²)`).
  @inline(__always)
  func multiplyByDerivative(_ delta: UnsafeMutablePointer<Double>, output a: UnsafePointer<Double>, count: Int) {
    switch (self, wideKernels) {
    case (.tanh, true): DescentKernelsAVX512.multiplyByTanhDerivative(delta, output: a, count: count)
    case (.tanh, false): DescentKernels.multiplyByTanhDerivative(delta, output: a, count: count)
    case (.sigmoid, true): DescentKernelsAVX512.multiplyBySigmoidDerivative(delta, output: a, count: count)
    case (.sigmoid, false): DescentKernels.multiplyBySigmoidDerivative(delta, output: a, count: count)
    case (.relu, true): DescentKernelsAVX512.multiplyByReluDerivative(delta, output: a, count: count)
    case (.relu, false): DescentKernels.multiplyByReluDerivative(delta, output: a, count: count)
    }
  }
}
