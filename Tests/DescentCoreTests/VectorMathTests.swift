import Foundation
import Testing

@testable import DescentCore

@Suite("Vectorized exp and tanh")
struct VectorMathTests {
  /// The distance in units in the last place between two doubles of the same sign.
  static func ulps(_ a: Double, _ b: Double) -> UInt64 {
    if a == b { return 0 }
    let (x, y) = (Int64(bitPattern: a.bitPattern), Int64(bitPattern: b.bitPattern))
    return x > y ? UInt64(x - y) : UInt64(y - x)
  }

  static func compare(_ f: (Lanes) -> Lanes, _ reference: (Double) -> Double, _ inputs: [Double])
    -> (worst: UInt64, differing: Int)
  {
    var worst: UInt64 = 0
    var differing = 0
    var values = inputs
    values.withUnsafeMutableBufferPointer { mapInPlace($0.baseAddress!, count: $0.count, f) }
    for (x, y) in zip(inputs, values) {
      let d = ulps(y, reference(x))
      worst = max(worst, d)
      if d > 0 { differing += 1 }
    }
    return (worst, differing)
  }

  @Test func tanhIsWithinThreeUlpsOfLibm() {
    var rng = RandomState(seed: 1)
    let inputs =
      (0..<200_000).map { i -> Double in
        let u = rng.randomSample()
        switch i % 4 {
        case 0: return (u - 0.5) * 6  // where the network lives
        case 1: return (u - 0.5) * 1e-3
        case 2: return (u - 0.5) * 60
        default: return (u - 0.5) * 1e-9
        }
      } + [0, -0.0, 1e-300, -1e-300, 22, -22, 40, 1e300, -.infinity, .infinity]
    let (worst, differing) = Self.compare(tanh, Foundation.tanh, inputs)
    print("tanh: worst \(worst) ulp, \(differing) of \(inputs.count) differ from libm")
    #expect(worst <= 3)
    #expect(differing < inputs.count / 20, "most results are libm's to the last bit")
  }

  @Test func expIsWithinOneUlpOfLibm() {
    var rng = RandomState(seed: 2)
    let inputs =
      (0..<200_000).map { i -> Double in
        let u = rng.randomSample()
        return i % 2 == 0 ? (u - 0.5) * 20 : (u - 0.5) * 1480
      } + [0, -745.2, -744, -720, 709.7, 709.79, 710, -.infinity, .infinity]
    let (worst, differing) = Self.compare(exp, Foundation.exp, inputs)
    print("exp: worst \(worst) ulp, \(differing) of \(inputs.count) differ from libm")
    #expect(worst <= 1)
    var nan = [Double.nan, 1]
    nan.withUnsafeMutableBufferPointer { mapInPlace($0.baseAddress!, count: 2, exp) }
    #expect(nan[0].isNaN && Self.ulps(nan[1], Foundation.exp(1)) <= 1)
  }
}
