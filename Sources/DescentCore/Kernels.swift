import Foundation

// The few dense kernels one iteration needs, on raw row-major buffers so the hot loop neither
// allocates nor bounds-checks. Shapes are given as (rows x cols).

/// `C = A·B` for A (m x k) and B (k x n): the forward pass `z = a·W`.
@inline(__always)
func matmul(
  _ A: UnsafePointer<Double>, _ B: UnsafePointer<Double>, into C: UnsafeMutablePointer<Double>,
  m: Int, k: Int, n: Int
) {
  C.update(repeating: 0, count: m * n)
  for i in 0..<m {
    let c = C + i * n
    for p in 0..<k {
      let a = A[i * k + p]
      let b = B + p * n
      for j in 0..<n { c[j] += a * b[j] }
    }
  }
}

/// `C = Aᵀ·B` for A (k x m) and B (k x n): the weight gradient `dW = aᵀ·δ`.
@inline(__always)
func matmulTransposedA(
  _ A: UnsafePointer<Double>, _ B: UnsafePointer<Double>, into C: UnsafeMutablePointer<Double>,
  k: Int, m: Int, n: Int
) {
  C.update(repeating: 0, count: m * n)
  for p in 0..<k {
    let a = A + p * m
    let b = B + p * n
    for i in 0..<m {
      let ai = a[i]
      let c = C + i * n
      for j in 0..<n { c[j] += ai * b[j] }
    }
  }
}

/// `C = A·Bᵀ` for A (m x k) and B (n x k): the backward pass `δ·Wᵀ`.
@inline(__always)
func matmulTransposedB(
  _ A: UnsafePointer<Double>, _ B: UnsafePointer<Double>, into C: UnsafeMutablePointer<Double>,
  m: Int, k: Int, n: Int
) {
  for i in 0..<m {
    let a = A + i * k
    for j in 0..<n {
      let b = B + j * k
      var sum = 0.0
      for p in 0..<k { sum += a[p] * b[p] }
      C[i * n + j] = sum
    }
  }
}

/// `z += b` broadcast over the rows of z (m x n).
@inline(__always)
func addRowVector(_ b: UnsafePointer<Double>, to z: UnsafeMutablePointer<Double>, m: Int, n: Int) {
  for i in 0..<m {
    let row = z + i * n
    for j in 0..<n { row[j] += b[j] }
  }
}

/// `s = Σ_rows δ` (`np.sum(delta, axis=0)`): the bias gradient.
@inline(__always)
func columnSums(_ A: UnsafePointer<Double>, into s: UnsafeMutablePointer<Double>, m: Int, n: Int) {
  s.update(repeating: 0, count: n)
  for i in 0..<m {
    let row = A + i * n
    for j in 0..<n { s[j] += row[j] }
  }
}

/// Turns each row of scores into probabilities in place: `exp(z) / Σ exp(z)`. Like the post it
/// exponentiates the raw scores; only a row that would overflow or underflow `exp` is shifted by
/// its maximum first, which leaves the probabilities unchanged.
@inline(__always)
func softmaxRows(_ z: UnsafeMutablePointer<Double>, m: Int, n: Int) {
  for i in 0..<m {
    let row = z + i * n
    var top = -Double.infinity
    for j in 0..<n { top = max(top, row[j]) }
    let shift = (top > 700 || top < -700) && top.isFinite ? top : 0
    var sum = 0.0
    for j in 0..<n {
      row[j] = exp(row[j] - shift)
      sum += row[j]
    }
    for j in 0..<n { row[j] /= sum }
  }
}
