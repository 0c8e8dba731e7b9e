import DescentKernels
import DescentKernelsAVX2
import DescentKernelsAVX512
import Foundation

/// One compiled build of the kernels. The three builds come from the same source, the same
/// operations in the same order, so they give the same numbers to the last bit; they differ only
/// in the instructions the compiler may use.
struct KernelSet: Sendable {
  /// What the benchmark prints: "AVX-512", "AVX2", "portable".
  let name: String
  /// The /proc/cpuinfo flags a CPU needs to run this build.
  let needs: [String]
  /// `gemm`: m, n, k, A with its row and column strides, B with its row stride, C, and whether
  /// the sums go on from C's values.
  let gemm:
    @Sendable (
      Int, Int, Int, UnsafePointer<Double>, Int, Int, UnsafePointer<Double>, Int, UnsafeMutablePointer<Double>, Bool
    ) -> Void
  let matmulTransposedA:
    @Sendable (
      UnsafePointer<Double>, UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int, Int, Int,
      UnsafeMutablePointer<Double>
    ) -> Void
  let matmulTransposedB:
    @Sendable (
      UnsafePointer<Double>, UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int, Int, Int,
      UnsafeMutablePointer<Double>
    ) -> Void
  let addRowVector: @Sendable (UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int, Int) -> Void
  /// `z ← tanh(z + b)` by row, in one pass.
  let addRowVectorThenTanh: @Sendable (UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int, Int) -> Void
  let columnSums: @Sendable (UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int, Int) -> Void
  let softmaxRows: @Sendable (UnsafeMutablePointer<Double>, Int, Int) -> Void
  /// A classifier's output layer by row (`softmaxDeltaRows`): z, b2, the labels, delta3, each
  /// row's probability of its own class, the rows and classes.
  let softmaxDeltaRows:
    @Sendable (
      UnsafeMutablePointer<Double>, UnsafePointer<Double>, UnsafePointer<Int>, UnsafeMutablePointer<Double>,
      UnsafeMutablePointer<Double>?, Int, Int
    ) -> Void
  let tanh: @Sendable (UnsafeMutablePointer<Double>, Int) -> Void
  let exp: @Sendable (UnsafeMutablePointer<Double>, Int) -> Void
  let negativeLog: @Sendable (UnsafeMutablePointer<Double>, Int) -> Void
  let crossEntropy: @Sendable (UnsafePointer<Double>, Int) -> Double
  let allPositive: @Sendable (UnsafePointer<Double>, Int) -> Bool
  let sigmoid: @Sendable (UnsafeMutablePointer<Double>, Int) -> Void
  let relu: @Sendable (UnsafeMutablePointer<Double>, Int) -> Void
  let tanhDerivative: @Sendable (UnsafeMutablePointer<Double>, UnsafePointer<Double>, Int) -> Void
  let sigmoidDerivative: @Sendable (UnsafeMutablePointer<Double>, UnsafePointer<Double>, Int) -> Void
  let reluDerivative: @Sendable (UnsafeMutablePointer<Double>, UnsafePointer<Double>, Int) -> Void
  /// Forward, backward and the gradient sums of a one-hidden-layer network in one pass; with
  /// dropout, the masks' bits are read once the last argument returns (made before, without it).
  let oneHiddenLayer:
    @Sendable (
      OneHiddenLayerNetwork, ColumnRows, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>?,
      DropoutBits?, (() -> Void)?
    ) -> Void
  /// MT19937's words from one index to another, from the 624 before them.
  let words: @Sendable (UnsafeMutablePointer<UInt32>, Int, Int) -> Void
  /// A block of hidden units' dW2 rows, dW1 columns and db1 in one pass (`unitGradients`): a1,
  /// delta2, the block's width, the rows, X and its width, delta3 and its width, dW2, dW1 and its
  /// row length, db1.
  let unitGradients:
    @Sendable (
      UnsafePointer<Double>, UnsafePointer<Double>, Int, Int, UnsafePointer<Double>, Int, UnsafePointer<Double>, Int,
      UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, Int, UnsafeMutablePointer<Double>
    ) -> Void
  /// `unitGradients` with delta2 made in the pass (`unitGradientsFromDelta3`): a1, the block's rows of
  /// W2, dropout's slopes (or nil, for tanh without dropout) and kept value, then as
  /// `unitGradients` from the block's width on.
  let unitGradientsFromDelta3:
    @Sendable (
      UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>?, Double, Int, Int,
      UnsafePointer<Double>, Int, UnsafePointer<Double>, Int, UnsafeMutablePointer<Double>,
      UnsafeMutablePointer<Double>, Int, UnsafeMutablePointer<Double>
    ) -> Void
  /// Dropout's draws from MT19937's words, two a draw, as bits: the words, the draws, the least
  /// integer kept, the bits.
  let dropoutKeeps: @Sendable (UnsafePointer<UInt32>, Int, UInt64, UnsafeMutablePointer<UInt16>) -> Void
  /// Dropout with the slopes for backpropagation (`dropoutSlopes`): a, the slopes, the bits, the
  /// first draw, the draws between rows, the width and rows, the kept value and `Slope`'s raw
  /// value; and `δ = (δ · slopes) · keep`.
  let dropoutSlopes:
    @Sendable (
      UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafePointer<UInt16>, Int, Int, Int, Int, Double,
      Int
    ) -> Void
  let multiplyBySlopes: @Sendable (UnsafeMutablePointer<Double>, UnsafePointer<Double>, Double, Int) -> Void
  /// `a ← tanh(a + b)` then dropout with the slopes, in one pass (`addRowVectorThenTanhDropout`):
  /// b, then `dropoutSlopes`' arguments but the derivative.
  let addRowVectorThenTanhDropout:
    @Sendable (
      UnsafePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafePointer<UInt16>, Int,
      Int, Int, Int, Double
    ) -> Void

  /// For any x86-64 (or whatever the host is).
  static let portable = KernelSet(
    name: "portable", needs: [],
    gemm: {
      DescentKernels.gemm(m: $0, n: $1, k: $2, $3, rowStride: $4, colStride: $5, $6, ldb: $7, into: $8, adding: $9)
    },
    matmulTransposedA: { DescentKernels.matmulTransposedA($0, $1, into: $2, k: $3, m: $4, n: $5, scratch: $6) },
    matmulTransposedB: { DescentKernels.matmulTransposedB($0, $1, into: $2, m: $3, k: $4, n: $5, scratch: $6) },
    addRowVector: { DescentKernels.addRowVector($0, to: $1, m: $2, n: $3) },
    addRowVectorThenTanh: { DescentKernels.addRowVectorThenTanh($0, to: $1, m: $2, n: $3) },
    columnSums: { DescentKernels.columnSums($0, into: $1, m: $2, n: $3) },
    softmaxRows: { DescentKernels.softmaxRows($0, m: $1, n: $2) },
    softmaxDeltaRows: { DescentKernels.softmaxDeltaRows($0, bias: $1, labels: $2, delta3: $3, own: $4, m: $5, n: $6) },
    tanh: { DescentKernels.tanhInPlace($0, count: $1) },
    exp: { DescentKernels.expInPlace($0, count: $1) },
    negativeLog: { DescentKernels.negativeLogInPlace($0, count: $1) },
    crossEntropy: { DescentKernels.crossEntropy($0, count: $1) },
    allPositive: { DescentKernels.allPositive($0, count: $1) },
    sigmoid: { DescentKernels.sigmoidInPlace($0, count: $1) },
    relu: { DescentKernels.reluInPlace($0, count: $1) },
    tanhDerivative: { DescentKernels.multiplyByTanhDerivative($0, output: $1, count: $2) },
    sigmoidDerivative: { DescentKernels.multiplyBySigmoidDerivative($0, output: $1, count: $2) },
    reluDerivative: { DescentKernels.multiplyByReluDerivative($0, output: $1, count: $2) },
    oneHiddenLayer: {
      DescentKernels.oneHiddenLayerGradients($0, rows: $1, scratch: $2, trueClass: $3, dropout: $4, awaitMask: $5)
    },
    words: { DescentKernels.mt19937Words($0, from: $1, to: $2) },
    unitGradients: {
      DescentKernels.unitGradients(
        a1: $0, delta2: $1, width: $2, rows: $3, X: $4, D: $5, delta3: $6, K: $7, dW2: $8, dW1: $9, ldw1: $10,
        db1: $11)
    },
    unitGradientsFromDelta3: {
      DescentKernels.unitGradientsFromDelta3(
        a1: $0, W2: $1, slopes: $2, keep: $3, width: $4, rows: $5, X: $6, D: $7, delta3: $8, K: $9, dW2: $10,
        dW1: $11, ldw1: $12, db1: $13)
    },
    dropoutKeeps: { DescentKernels.dropoutKeeps(words: $0, count: $1, least: $2, into: $3) },
    dropoutSlopes: {
      DescentKernels.dropoutSlopes(
        $0, slopes: $1, keeps: $2, first: $3, stride: $4, width: $5, rows: $6, keep: $7, slope: .init(rawValue: $8)!)
    },
    multiplyBySlopes: { DescentKernels.multiplyBySlopes($0, slopes: $1, keep: $2, count: $3) },
    addRowVectorThenTanhDropout: {
      DescentKernels.addRowVectorThenTanhDropout(
        $0, to: $1, slopes: $2, keeps: $3, first: $4, stride: $5, width: $6, rows: $7, keep: $8)
    })

  /// For Haswell, Zen and later (x86-64-v3): AVX2, FMA (never used to fuse: a fused multiply-add rounds once, not twice).
  static let avx2 = KernelSet(
    name: "AVX2", needs: ["avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe", "abm"],
    gemm: {
      DescentKernelsAVX2.gemm(m: $0, n: $1, k: $2, $3, rowStride: $4, colStride: $5, $6, ldb: $7, into: $8, adding: $9)
    },
    matmulTransposedA: { DescentKernelsAVX2.matmulTransposedA($0, $1, into: $2, k: $3, m: $4, n: $5, scratch: $6) },
    matmulTransposedB: { DescentKernelsAVX2.matmulTransposedB($0, $1, into: $2, m: $3, k: $4, n: $5, scratch: $6) },
    addRowVector: { DescentKernelsAVX2.addRowVector($0, to: $1, m: $2, n: $3) },
    addRowVectorThenTanh: { DescentKernelsAVX2.addRowVectorThenTanh($0, to: $1, m: $2, n: $3) },
    columnSums: { DescentKernelsAVX2.columnSums($0, into: $1, m: $2, n: $3) },
    softmaxRows: { DescentKernelsAVX2.softmaxRows($0, m: $1, n: $2) },
    softmaxDeltaRows: {
      DescentKernelsAVX2.softmaxDeltaRows($0, bias: $1, labels: $2, delta3: $3, own: $4, m: $5, n: $6)
    },
    tanh: { DescentKernelsAVX2.tanhInPlace($0, count: $1) },
    exp: { DescentKernelsAVX2.expInPlace($0, count: $1) },
    negativeLog: { DescentKernelsAVX2.negativeLogInPlace($0, count: $1) },
    crossEntropy: { DescentKernelsAVX2.crossEntropy($0, count: $1) },
    allPositive: { DescentKernelsAVX2.allPositive($0, count: $1) },
    sigmoid: { DescentKernelsAVX2.sigmoidInPlace($0, count: $1) },
    relu: { DescentKernelsAVX2.reluInPlace($0, count: $1) },
    tanhDerivative: { DescentKernelsAVX2.multiplyByTanhDerivative($0, output: $1, count: $2) },
    sigmoidDerivative: { DescentKernelsAVX2.multiplyBySigmoidDerivative($0, output: $1, count: $2) },
    reluDerivative: { DescentKernelsAVX2.multiplyByReluDerivative($0, output: $1, count: $2) },
    oneHiddenLayer: {
      DescentKernelsAVX2.oneHiddenLayerGradients($0, rows: $1, scratch: $2, trueClass: $3, dropout: $4, awaitMask: $5)
    },
    words: { DescentKernelsAVX2.mt19937Words($0, from: $1, to: $2) },
    unitGradients: {
      DescentKernelsAVX2.unitGradients(
        a1: $0, delta2: $1, width: $2, rows: $3, X: $4, D: $5, delta3: $6, K: $7, dW2: $8, dW1: $9, ldw1: $10,
        db1: $11)
    },
    unitGradientsFromDelta3: {
      DescentKernelsAVX2.unitGradientsFromDelta3(
        a1: $0, W2: $1, slopes: $2, keep: $3, width: $4, rows: $5, X: $6, D: $7, delta3: $8, K: $9, dW2: $10,
        dW1: $11, ldw1: $12, db1: $13)
    },
    dropoutKeeps: { DescentKernelsAVX2.dropoutKeeps(words: $0, count: $1, least: $2, into: $3) },
    dropoutSlopes: {
      DescentKernelsAVX2.dropoutSlopes(
        $0, slopes: $1, keeps: $2, first: $3, stride: $4, width: $5, rows: $6, keep: $7, slope: .init(rawValue: $8)!)
    },
    multiplyBySlopes: { DescentKernelsAVX2.multiplyBySlopes($0, slopes: $1, keep: $2, count: $3) },
    addRowVectorThenTanhDropout: {
      DescentKernelsAVX2.addRowVectorThenTanhDropout(
        $0, to: $1, slopes: $2, keeps: $3, first: $4, stride: $5, width: $6, rows: $7, keep: $8)
    })

  /// For Skylake-X and later: AVX-512 F, CD, BW, DQ and VL.
  static let avx512 = KernelSet(
    name: "AVX-512", needs: avx2.needs + ["avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"],
    gemm: {
      DescentKernelsAVX512.gemm(
        m: $0, n: $1, k: $2, $3, rowStride: $4, colStride: $5, $6, ldb: $7, into: $8, adding: $9)
    },
    matmulTransposedA: { DescentKernelsAVX512.matmulTransposedA($0, $1, into: $2, k: $3, m: $4, n: $5, scratch: $6) },
    matmulTransposedB: { DescentKernelsAVX512.matmulTransposedB($0, $1, into: $2, m: $3, k: $4, n: $5, scratch: $6) },
    addRowVector: { DescentKernelsAVX512.addRowVector($0, to: $1, m: $2, n: $3) },
    addRowVectorThenTanh: { DescentKernelsAVX512.addRowVectorThenTanh($0, to: $1, m: $2, n: $3) },
    columnSums: { DescentKernelsAVX512.columnSums($0, into: $1, m: $2, n: $3) },
    softmaxRows: { DescentKernelsAVX512.softmaxRows($0, m: $1, n: $2) },
    softmaxDeltaRows: {
      DescentKernelsAVX512.softmaxDeltaRows($0, bias: $1, labels: $2, delta3: $3, own: $4, m: $5, n: $6)
    },
    tanh: { DescentKernelsAVX512.tanhInPlace($0, count: $1) },
    exp: { DescentKernelsAVX512.expInPlace($0, count: $1) },
    negativeLog: { DescentKernelsAVX512.negativeLogInPlace($0, count: $1) },
    crossEntropy: { DescentKernelsAVX512.crossEntropy($0, count: $1) },
    allPositive: { DescentKernelsAVX512.allPositive($0, count: $1) },
    sigmoid: { DescentKernelsAVX512.sigmoidInPlace($0, count: $1) },
    relu: { DescentKernelsAVX512.reluInPlace($0, count: $1) },
    tanhDerivative: { DescentKernelsAVX512.multiplyByTanhDerivative($0, output: $1, count: $2) },
    sigmoidDerivative: { DescentKernelsAVX512.multiplyBySigmoidDerivative($0, output: $1, count: $2) },
    reluDerivative: { DescentKernelsAVX512.multiplyByReluDerivative($0, output: $1, count: $2) },
    oneHiddenLayer: {
      DescentKernelsAVX512.oneHiddenLayerGradients($0, rows: $1, scratch: $2, trueClass: $3, dropout: $4, awaitMask: $5)
    },
    words: { DescentKernelsAVX512.mt19937Words($0, from: $1, to: $2) },
    unitGradients: {
      DescentKernelsAVX512.unitGradients(
        a1: $0, delta2: $1, width: $2, rows: $3, X: $4, D: $5, delta3: $6, K: $7, dW2: $8, dW1: $9, ldw1: $10,
        db1: $11)
    },
    unitGradientsFromDelta3: {
      DescentKernelsAVX512.unitGradientsFromDelta3(
        a1: $0, W2: $1, slopes: $2, keep: $3, width: $4, rows: $5, X: $6, D: $7, delta3: $8, K: $9, dW2: $10,
        dW1: $11, ldw1: $12, db1: $13)
    },
    dropoutKeeps: { DescentKernelsAVX512.dropoutKeeps(words: $0, count: $1, least: $2, into: $3) },
    dropoutSlopes: {
      DescentKernelsAVX512.dropoutSlopes(
        $0, slopes: $1, keeps: $2, first: $3, stride: $4, width: $5, rows: $6, keep: $7, slope: .init(rawValue: $8)!)
    },
    multiplyBySlopes: { DescentKernelsAVX512.multiplyBySlopes($0, slopes: $1, keep: $2, count: $3) },
    addRowVectorThenTanhDropout: {
      DescentKernelsAVX512.addRowVectorThenTanhDropout(
        $0, to: $1, slopes: $2, keeps: $3, first: $4, stride: $5, width: $6, rows: $7, keep: $8)
    })

  /// The CPU's feature flags as Linux lists them in /proc/cpuinfo (empty elsewhere).
  static let cpuFlags: Set<String> = {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return [] }
    return Set(line.split(separator: " ").map(String.init))
  }()

  /// Every build this CPU can run, widest first. The wide builds exist only on x86-64.
  static let runnable: [KernelSet] = {
    #if arch(x86_64)
      return [avx512, avx2, portable].filter { $0.needs.allSatisfy(cpuFlags.contains) }
    #else
      return [portable]
    #endif
  }()

  /// The build `DESCENT_KERNELS` asks for, when it names one this CPU runs: `portable`, `avx2` or
  /// `avx512` (valgrind, which cannot run AVX-512, for one; or to measure a narrower build).
  static let askedFor: KernelSet? = {
    guard let asked = ProcessInfo.processInfo.environment["DESCENT_KERNELS"] else { return nil }
    return runnable.first { $0.name.lowercased().filter { $0 != "-" } == asked }
  }()

  /// The build this process uses: the widest the CPU runs, unless another one is asked for.
  static let chosen: KernelSet = askedFor ?? runnable[0]
}

/// The kernel build this CPU runs, for benchmark reports.
public var kernelBuild: String {
  if let asked = KernelSet.askedFor {
    return "\(asked.name) (DESCENT_KERNELS=\(asked.name.lowercased().filter { $0 != "-" }))"
  }
  let name = KernelSet.chosen.name
  return name == KernelSet.portable.name ? "portable (no AVX2 on this CPU)" : name
}

/// Whether this process runs the AVX2 build on a CPU with AVX-512 (`DESCENT_KERNELS=avx2`), as it
/// would on an AVX2 machine.
public var kernelsHeldToAVX2: Bool {
  KernelSet.chosen.name == KernelSet.avx2.name && KernelSet.runnable.first?.name == KernelSet.avx512.name
}

// Each kernel from the build the CPU runs.

/// `C = A·B` for A (m x k) and B (k x n): the forward pass `z = a·W`.
@inline(__always)
func matmul(
  _ A: UnsafePointer<Double>, _ B: UnsafePointer<Double>, into C: UnsafeMutablePointer<Double>, m: Int, k: Int, n: Int
) { KernelSet.chosen.gemm(m, n, k, A, k, 1, B, n, C, false) }

/// `C = Aᵀ·B` for A (k x m) and B (k x n): the weight gradient `dW = aᵀ·δ`. `scratch` holds m x n.
@inline(__always)
func matmulTransposedA(
  _ A: UnsafePointer<Double>, _ B: UnsafePointer<Double>, into C: UnsafeMutablePointer<Double>, k: Int, m: Int, n: Int,
  scratch: UnsafeMutablePointer<Double>
) { KernelSet.chosen.matmulTransposedA(A, B, C, k, m, n, scratch) }

/// `C = A·Bᵀ` for A (m x k) and B (n x k): the backward pass `δ·Wᵀ`.
@inline(__always)
func matmulTransposedB(
  _ A: UnsafePointer<Double>, _ B: UnsafePointer<Double>, into C: UnsafeMutablePointer<Double>, m: Int, k: Int, n: Int,
  scratch: UnsafeMutablePointer<Double>
) { KernelSet.chosen.matmulTransposedB(A, B, C, m, k, n, scratch) }

/// `z += b` broadcast over the rows of z (m x n).
@inline(__always)
func addRowVector(_ b: UnsafePointer<Double>, to z: UnsafeMutablePointer<Double>, m: Int, n: Int) {
  KernelSet.chosen.addRowVector(b, z, m, n)
}

/// `s = Σ_rows A` (`np.sum(delta, axis=0)`): the bias gradient.
@inline(__always)
func columnSums(_ A: UnsafePointer<Double>, into s: UnsafeMutablePointer<Double>, m: Int, n: Int) {
  KernelSet.chosen.columnSums(A, s, m, n)
}

/// `Σ -log p` over each row's probability of its own class: the data term of `calculate_loss`.
@inline(__always)
func crossEntropy(_ p: UnsafePointer<Double>, count: Int) -> Double { KernelSet.chosen.crossEntropy(p, count) }

/// Whether each of `count` values is above 0 (none is 0, negative or not a number).
@inline(__always)
func allPositive(_ p: UnsafePointer<Double>, count: Int) -> Bool { KernelSet.chosen.allPositive(p, count) }

/// Each row of scores turned into probabilities in place, `exp(z) / Σ exp(z)`.
@inline(__always)
func softmaxRows(_ z: UnsafeMutablePointer<Double>, m: Int, n: Int) { KernelSet.chosen.softmaxRows(z, m, n) }

extension Activation {
  /// `a = f(z + b)` over `m` rows of `n` in place, `b` one per column: a hidden layer's bias and
  /// activation after its product (for tanh in one pass, the same numbers).
  @inline(__always)
  func applyInPlace(_ z: UnsafeMutablePointer<Double>, adding b: UnsafePointer<Double>, m: Int, n: Int) {
    guard self == .tanh else {
      addRowVector(b, to: z, m: m, n: n)
      return applyInPlace(z, count: m * n)
    }
    KernelSet.chosen.addRowVectorThenTanh(b, z, m, n)
  }

  /// `a = f(z)` over a buffer in place, sixteen lanes at a time (the forward pass's kernel).
  @inline(__always)
  func applyInPlace(_ z: UnsafeMutablePointer<Double>, count: Int) {
    let kernels = KernelSet.chosen
    switch self {
    case .tanh: kernels.tanh(z, count)
    case .sigmoid: kernels.sigmoid(z, count)
    case .relu: kernels.relu(z, count)
    }
  }

  /// The derivative `dropoutSlopes` takes, as `Slope`'s raw value.
  var slope: Int {
    switch self {
    case .tanh: DescentKernels.Slope.tanh.rawValue
    case .sigmoid: DescentKernels.Slope.sigmoid.rawValue
    case .relu: DescentKernels.Slope.relu.rawValue
    }
  }

  /// `δ ∘= f'(z)`, from the outputs `a` (the backward pass's `delta2 = ... * (1 - a1²)`).
  @inline(__always)
  func multiplyByDerivative(_ delta: UnsafeMutablePointer<Double>, output a: UnsafePointer<Double>, count: Int) {
    let kernels = KernelSet.chosen
    switch self {
    case .tanh: kernels.tanhDerivative(delta, a, count)
    case .sigmoid: kernels.sigmoidDerivative(delta, a, count)
    case .relu: kernels.reluDerivative(delta, a, count)
    }
  }
}
