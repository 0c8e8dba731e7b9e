import DescentKernels
import Foundation
import Testing

@testable import DescentCore

/// The kernels, every build this CPU runs: accurate, and the same to the last bit (so which one a
/// CPU runs never changes a printed number).
@Suite("Kernels: vectorized exp and tanh, matrix products")
struct VectorMathTests {
  /// The distance in units in the last place between two doubles of the same sign.
  static func ulps(_ a: Double, _ b: Double) -> UInt64 {
    if a == b || (a.isNaN && b.isNaN) { return 0 }
    let (x, y) = (Int64(bitPattern: a.bitPattern), Int64(bitPattern: b.bitPattern))
    return x > y ? UInt64(x - y) : UInt64(y - x)
  }

  /// The builds this CPU runs other than the portable one (AVX2, AVX-512), each compared to it.
  static let wide = KernelSet.runnable.filter { $0.name != KernelSet.portable.name }

  /// The portable build's results, and each wider build's that this CPU can run.
  static func all(
    _ inputs: [Double], _ kernel: KeyPath<KernelSet, @Sendable (UnsafeMutablePointer<Double>, Int) -> Void>
  )
    -> (portable: [Double], wide: [(name: String, results: [Double])])
  {
    func run(_ set: KernelSet) -> [Double] {
      var a = inputs
      a.withUnsafeMutableBufferPointer { set[keyPath: kernel]($0.baseAddress!, $0.count) }
      return a
    }
    return (run(.portable), wide.map { ($0.name, run($0)) })
  }

  static func check(_ inputs: [Double], _ results: [Double], _ reference: (Double) -> Double)
    -> (worst: UInt64, differing: Int)
  {
    var worst: UInt64 = 0
    var differing = 0
    for (x, y) in zip(inputs, results) {
      let d = ulps(y, reference(x))
      worst = max(worst, d)
      if d > 0 { differing += 1 }
    }
    return (worst, differing)
  }

  static func inputs(seed: UInt32, count: Int, scales: [Double]) -> [Double] {
    var rng = RandomState(seed: seed)
    return (0..<count).map { i in (rng.randomSample() - 0.5) * scales[i % scales.count] }
  }

  @Test func tanhIsWithinThreeUlpsOfLibmInBothBuilds() {
    let inputs =
      Self.inputs(seed: 1, count: 200_003, scales: [6, 1e-3, 60, 1e-9])
      + [0, -0.0, 1e-300, -1e-300, 22, -22, 40, 1e300, -.infinity, .infinity, .nan]
    let (portable, wide) = Self.all(inputs, \.tanh)
    let (worst, differing) = Self.check(inputs, portable, Foundation.tanh)
    print("tanh: worst \(worst) ulp, \(differing) of \(inputs.count) differ from libm")
    #expect(worst <= 3)
    #expect(differing < inputs.count / 20, "most results are libm's to the last bit")
    #expect(portable.last!.isNaN && portable[portable.count - 2] == 1 && portable[portable.count - 3] == -1)
    for (name, results) in wide { #expect(results.map(\.bitPattern) == portable.map(\.bitPattern), "\(name)") }
  }

  /// tanh's bits, not just its accuracy, are the post's printed numbers' (a last-bit change moves
  /// its chaotic runs), so a faster tanh must give them exactly. The digest is of the bits 7337db8
  /// gave these inputs (dense around 0 and around 0.55, where the division's two forms meet), when
  /// tanh chose its last stage by |x| < 0.55 instead of by the sign of expm1(∓2|x|).
  @Test func tanhKeepsItsBits() {
    let boundary = 0.55
    let inputs =
      Self.inputs(seed: 2, count: 100_000, scales: [6, 1.1, 1e-3, 2e-6, 60])
      + (0..<2000).flatMap { i -> [Double] in
        let x = boundary + Double(i - 1000) * boundary.ulp
        return [x, -x]
      }
      + [0, -0.0, 1e-300, -1e-300, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 21.99, 22, 1e300, .nan]
    let (portable, wide) = Self.all(inputs, \.tanh)
    var digest: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a over the results' bit patterns
    for y in portable { digest = (digest ^ y.bitPattern) &* 0x100_0000_01b3 }
    #expect(digest == 0x1309_48be_62ed_e92d)
    for (name, results) in wide { #expect(results.map(\.bitPattern) == portable.map(\.bitPattern), "\(name)") }
  }

  @Test func expIsWithinOneUlpOfLibmInBothBuilds() {
    let inputs =
      Self.inputs(seed: 2, count: 200_001, scales: [20, 1480])
      + [0, -745.2, -744, -720, 709.7, 709.79, 710, -.infinity, .infinity, .nan]
    let (portable, wide) = Self.all(inputs, \.exp)
    let (worst, differing) = Self.check(inputs, portable, Foundation.exp)
    print("exp: worst \(worst) ulp, \(differing) of \(inputs.count) differ from libm")
    #expect(worst <= 1)
    #expect(portable.last!.isNaN)
    for (name, results) in wide { #expect(results.map(\.bitPattern) == portable.map(\.bitPattern), "\(name)") }
  }

  /// exp, tanh and log skip their clamps and special cases when every lane of a vector is in
  /// range (below 708 and 22 in magnitude; a positive normal number): a vector with one lane out
  /// of range takes the full path, and its other lanes must come out the same to the last bit.
  @Test(arguments: [("exp", 1400.0, 800.0, Double.infinity), ("tanh", 44, 30, 1), ("log", 1e6, 0, .infinity)])
  func vectorsInRangeGiveTheFullPathsBits(function: String, scale: Double, outlier: Double, atOutlier: Double) {
    var inRange = Self.inputs(seed: 7, count: laneCount * 4096, scales: [scale, scale / 100, 1])
    if function == "log" { inRange = inRange.map { abs($0) + 1e-300 } }
    var mixed = inRange
    for i in stride(from: 0, to: mixed.count, by: laneCount) { mixed[i] = outlier }
    for set in KernelSet.runnable {
      let kernel = ["exp": set.exp, "tanh": set.tanh, "log": set.negativeLog][function]!
      var fast = inRange
      var full = mixed
      fast.withUnsafeMutableBufferPointer { kernel($0.baseAddress!, $0.count) }
      full.withUnsafeMutableBufferPointer { kernel($0.baseAddress!, $0.count) }
      let differing = fast.indices.filter { $0 % laneCount != 0 && fast[$0].bitPattern != full[$0].bitPattern }.count
      #expect(differing == 0, "\(set.name)")
      #expect(full[0] == atOutlier)
    }
  }

  /// `crossEntropy` (Σ -log p from products of sixteen lanes) against summing libm's logs: close
  /// to a few units in the last place of the sum, the same bits in every build, and 0, subnormals
  /// and NaN taken one log at a time.
  @Test func crossEntropyIsTheSumOfTheLogs() {
    var rng = RandomState(seed: 9)
    for count in [1, 13, 16, 200, 1000, 4099] {
      // Probabilities from near 1 down to 1e-300, as a network's are early and late in training.
      let p = (0..<count).map { _ in Foundation.pow(10, -300 * Foundation.pow(rng.randomSample(), 12)) }
      var exact = 0.0
      for x in p { exact -= Foundation.log(x) }
      let results = KernelSet.runnable.map { set in
        p.withUnsafeBufferPointer { set.crossEntropy($0.baseAddress!, count) }
      }
      #expect(abs(results[0] - exact) <= 1e-14 * exact, "\(count): \(results[0]) against \(exact)")
      #expect(Set(results.map(\.bitPattern)).count == 1, "\(count): every build alike")
    }
    for (special, expected) in [
      (0.0, Double.infinity), (Double.leastNormalMagnitude / 256, 713.94), (.nan, .nan), (1.0, 0),
    ] {
      var p = [Double](repeating: 0.5, count: 40)
      p[37] = special
      let result = KernelSet.chosen.crossEntropy(p, p.count)
      let rest = 39 * -Foundation.log(0.5)
      if expected.isNaN {
        #expect(result.isNaN)
      } else if expected.isInfinite {
        #expect(result == .infinity)
      } else {
        #expect(abs(result - rest - expected) < 0.1, "\(special): \(result - rest)")
      }
    }
  }

  @Test func logIsWithinOneUlpOfLibmInEveryBuild() {
    var rng = RandomState(seed: 6)
    // Probabilities, subnormals, twenty decades, and numbers close to 1.
    var inputs: [Double] = (0..<100_003).map { (i: Int) -> Double in
      let u = rng.randomSample()
      switch i % 4 {
      case 0: return u
      case 1: return u * 1e-300
      case 2: return Foundation.pow(10.0, 40 * u - 20)
      default: return 1 + (u - 0.5) * 1e-6
      }
    }
    inputs += [1, 0.5, 2, .leastNonzeroMagnitude, .leastNormalMagnitude, 0x1p-1040, .greatestFiniteMagnitude]
    inputs += [0, -0.0, -1, -.infinity, .infinity, .nan]
    let (portable, wide) = Self.all(inputs, \.negativeLog)
    let finite = inputs.count - 6
    let (worst, differing) = Self.check(Array(inputs[..<finite]), Array(portable[..<finite]), { -Foundation.log($0) })
    print("log: worst \(worst) ulp, \(differing) of \(finite) differ from libm")
    #expect(worst <= 1)
    #expect(differing < finite / 10, "most results are libm's to the last bit")
    let special = portable[finite...].map { $0 }
    #expect(special[0] == .infinity && special[1] == .infinity && special[4] == -.infinity)
    #expect(special[2].isNaN && special[3].isNaN && special[5].isNaN)
    for (name, results) in wide {
      #expect(results.map { $0.bitPattern } == portable.map { $0.bitPattern }, "\(name)")
    }
  }

  @Test func sigmoidAndReluInBothBuilds() {
    let inputs = Self.inputs(seed: 3, count: 10_001, scales: [12, 800])
    let sigmoid = Self.all(inputs, \.sigmoid)
    #expect(Self.check(inputs, sigmoid.portable, { 1 / (1 + Foundation.exp(-$0)) }).worst <= 2)
    for (name, results) in sigmoid.wide {
      #expect(results.map(\.bitPattern) == sigmoid.portable.map(\.bitPattern), "\(name)")
    }
    let relu = Self.all(inputs, \.relu)
    #expect(relu.portable == inputs.map { $0 > 0 ? $0 : 0 })
    for (name, results) in relu.wide { #expect(results == relu.portable, "\(name)") }
  }

  /// Every shape the blocking has a case for (4-row blocks and a tail, 8/4/2/1-column panels, two
  /// columns eight rows at a time then four, sums of at most four terms a panel at a time):
  /// the exact sums of a plain triple loop.
  @Test func matrixProductsAddInThePlainLoopsOrder() {
    var rng = RandomState(seed: 4)
    for (m, k, n) in [
      (1, 1, 1), (7, 3, 15), (200, 2, 3), (9, 50, 2), (13, 5, 50), (4, 1, 9), (33, 17, 31), (2, 200, 50), (50, 200, 2),
      (3, 40, 37), (1, 9, 16), (6, 7, 18), (200, 2, 50), (13, 4, 37), (5, 3, 17), (1, 2, 4), (512, 1, 64),
      (12, 30, 2), (21, 3, 2), (36, 25, 2), (40, 4, 23),
    ] {
      let A = (0..<m * k).map { _ in rng.gauss() }
      let B = (0..<k * n).map { _ in rng.gauss() }
      var plain = [Double](repeating: 0, count: m * n)
      for i in 0..<m {
        for j in 0..<n {
          var sum = 0.0
          for p in 0..<k { sum += A[i * k + p] * B[p * n + j] }
          plain[i * n + j] = sum
        }
      }
      for set in KernelSet.runnable {
        var C = [Double](repeating: .nan, count: m * n)
        C.withUnsafeMutableBufferPointer { set.gemm(m, n, k, A, k, 1, B, n, $0.baseAddress!, false) }
        #expect(C.map(\.bitPattern) == plain.map(\.bitPattern), "\(m)x\(k)x\(n), \(set.name)")
        // The sum in two parts, the second going on from the first's C (two threads' units).
        let part = k / 2
        var split = [Double](repeating: .nan, count: m * n)
        A.withUnsafeBufferPointer { a in
          B.withUnsafeBufferPointer { b in
            split.withUnsafeMutableBufferPointer {
              set.gemm(m, n, part, a.baseAddress!, k, 1, b.baseAddress!, n, $0.baseAddress!, false)
              set.gemm(m, n, k - part, a.baseAddress! + part, k, 1, b.baseAddress! + part * n, n, $0.baseAddress!, true)
            }
          }
        }
        #expect(split.map(\.bitPattern) == plain.map(\.bitPattern), "split at \(part): \(m)x\(k)x\(n), \(set.name)")
      }
      // Aᵀ-times and times-Bᵀ forms against the same sums.
      var At = [Double](repeating: 0, count: m * k)
      for i in 0..<m { for p in 0..<k { At[p * m + i] = A[i * k + p] } }
      var Bt = [Double](repeating: 0, count: k * n)
      for p in 0..<k { for j in 0..<n { Bt[j * k + p] = B[p * n + j] } }
      var viaAt = [Double](repeating: .nan, count: m * n)
      var viaBt = [Double](repeating: .nan, count: m * n)
      var scratch = [Double](repeating: 0, count: max(k, m) * n)
      for set in KernelSet.runnable {
        viaAt.withUnsafeMutableBufferPointer { c in
          scratch.withUnsafeMutableBufferPointer {
            set.matmulTransposedA(At, B, c.baseAddress!, k, m, n, $0.baseAddress!)
          }
        }
        #expect(viaAt.map(\.bitPattern) == plain.map(\.bitPattern), "Aᵀ·B \(m)x\(k)x\(n), \(set.name)")
      }
      viaBt.withUnsafeMutableBufferPointer { c in
        scratch.withUnsafeMutableBufferPointer {
          DescentKernels.matmulTransposedB(A, Bt, into: c.baseAddress!, m: m, k: k, n: n, scratch: $0.baseAddress!)
        }
      }
      #expect(viaBt.map(\.bitPattern) == plain.map(\.bitPattern))
    }
  }

  @Test func columnSumsAndBiasAddsAreThePlainLoops() {
    var rng = RandomState(seed: 5)
    for (m, n) in [(1, 1), (200, 2), (200, 3), (7, 5), (31, 13), (100, 50)] {
      let A = (0..<m * n).map { _ in rng.gauss() }
      let b = (0..<n).map { _ in rng.gauss() }
      var sums = [Double](repeating: 0, count: n)
      for i in 0..<m { for j in 0..<n { sums[j] += A[i * n + j] } }
      let added = (0..<m * n).map { A[$0] + b[$0 % n] }
      for set in KernelSet.runnable {
        var s = [Double](repeating: .nan, count: n)
        var z = A
        s.withUnsafeMutableBufferPointer { set.columnSums(A, $0.baseAddress!, m, n) }
        z.withUnsafeMutableBufferPointer { set.addRowVector(b, $0.baseAddress!, m, n) }
        #expect(s.map(\.bitPattern) == sums.map(\.bitPattern) && z == added, "\(m)x\(n), \(set.name)")
      }
    }
  }

  /// tanh of the product plus the bias in one pass is the bias added, then tanh, to the bit, in
  /// every build: rows narrower and wider than a vector, an odd element count (a padded tail), and
  /// sums past tanh's clamp, infinities, NaN and zeros of both signs; then sums up to ±349.9 (which
  /// tanh's stages take) with one at 710, so most blocks go in stages and one does not.
  @Test func theBiasAndTanhInOnePassAreTheTwoPasses() {
    var rng = RandomState(seed: 6)
    let special: [Double] = [0, -0.0, .infinity, -.infinity, .nan, 30, -25, 1e300, .leastNonzeroMagnitude]
    let sizes = [(1, 1), (200, 3), (9, 7), (200, 16), (33, 17), (200, 50), (13, 1024)]
    for ((m, n), inStages) in sizes.flatMap({ size in [(size, false), (size, true)] }) {
      let large: [Double] = [349.9, -349.9, 22, -21.999, 0.55, -0.549_999, 100, 710]
      let A = (0..<m * n).map { i in
        guard inStages else { return i % 11 == 3 ? special[i / 11 % special.count] : rng.gauss() * 2 }
        return i % 7 == 5 ? large[i / 7 % (i < m * n / 2 ? 7 : 8)] : rng.gauss() * 2
      }
      let b = (0..<n).map { j in !inStages && j % 5 == 4 ? special[j % special.count] : rng.gauss() }
      for set in KernelSet.runnable {
        var (twoPasses, onePass) = (A, A)
        twoPasses.withUnsafeMutableBufferPointer {
          set.addRowVector(b, $0.baseAddress!, m, n)
          set.tanh($0.baseAddress!, m * n)
        }
        onePass.withUnsafeMutableBufferPointer { set.addRowVectorThenTanh(b, $0.baseAddress!, m, n) }
        let differ = A.indices.first { onePass[$0].bitPattern != twoPasses[$0].bitPattern }
        #expect(
          differ == nil,
          "\(m)x\(n), \(set.name): tanh(\(A[differ ?? 0]) + \(b[(differ ?? 0) % n])) is \(onePass[differ ?? 0]), not \(twoPasses[differ ?? 0])"
        )
      }
    }
  }

  /// The output layer by row (the second thread's of a 200 x 50 step) is the bias, softmax and
  /// the one-hot subtraction one after another, to the bit, in every build: whole vectors of eight
  /// rows, tails, a vector with a score past ±700 or NaN (shifted one by one), three classes.
  @Test func theOutputLayerByRowIsTheStepsOneByOne() {
    var rng = RandomState(seed: 8)
    for (m, n) in [(200, 2), (13, 2), (32, 2), (1, 2), (7, 3), (64, 4)] {
      var scores = (0..<m * n).map { _ in 4 * rng.gauss() }
      if m >= 32 {
        (scores[3], scores[2 * 17 + 1], scores[2 * 25]) = (750, -900, .nan)
      }
      let b = (0..<n).map { _ in rng.gauss() }
      let labels = (0..<m).map { _ in rng.interval(n - 1) }
      var probs = scores
      var (delta3, own) = ([Double](repeating: 0, count: m * n), [Double](repeating: 0, count: m))
      probs.withUnsafeMutableBufferPointer { z in
        KernelSet.portable.addRowVector(b, z.baseAddress!, m, n)
        KernelSet.portable.softmaxRows(z.baseAddress!, m, n)
      }
      for i in 0..<m {
        for k in 0..<n { delta3[i * n + k] = probs[i * n + k] - (labels[i] == k ? 1 : 0) }
        own[i] = probs[i * n + labels[i]]
      }
      for set in KernelSet.runnable {
        for keepsOwn in [true, false] {
          var (z, d, o) = (scores, [Double](repeating: .nan, count: m * n), [Double](repeating: .nan, count: m))
          z.withUnsafeMutableBufferPointer { z in
            d.withUnsafeMutableBufferPointer { d in
              o.withUnsafeMutableBufferPointer { o in
                set.softmaxDeltaRows(z.baseAddress!, b, labels, d.baseAddress!, keepsOwn ? o.baseAddress! : nil, m, n)
              }
            }
          }
          /// The first index where two buffers differ in a bit, if any.
          func firstDifference(_ a: [Double], _ b: [Double]) -> Int? {
            a.indices.first { a[$0].bitPattern != b[$0].bitPattern }
          }
          let name = "\(m)x\(n), \(set.name)"
          #expect(firstDifference(z, probs) == nil, "probabilities, \(name)")
          #expect(firstDifference(d, delta3) == nil, "delta3, \(name)")
          #expect(keepsOwn ? firstDifference(o, own) == nil : o.allSatisfy(\.isNaN), "own class, \(name)")
        }
      }
    }
  }

  @Test func theKernelBuildIsChosenByTheCPU() throws {
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let avx512 = cpuinfo.contains(" avx512f") && cpuinfo.contains(" avx512vl") && cpuinfo.contains(" avx512bw")
    let avx2 = cpuinfo.contains(" avx2") && cpuinfo.contains(" fma")
    #expect(KernelSet.runnable.map(\.name) == (avx512 ? ["AVX-512"] : []) + (avx2 ? ["AVX2"] : []) + ["portable"])
    let asked = KernelSet.runnable.first {
      $0.name.lowercased().filter { $0 != "-" } == ProcessInfo.processInfo.environment["DESCENT_KERNELS"]
    }
    #expect(KernelSet.chosen.name == (asked ?? KernelSet.runnable[0]).name)
  }
}
