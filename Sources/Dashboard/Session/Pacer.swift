import Dispatch

/// Keeps a trainer to its speed (iterations a second) and measures the rate it reaches.
struct Pacer {
  private var start = Pacer.now
  private var iterations = 0
  /// Recent (time, iteration count) readings, for the rate over about the last second.
  private var samples: [(time: UInt64, count: Int)] = []

  static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }

  /// Starts counting again (a new speed, a restart, a resume).
  mutating func restart() {
    start = Self.now
    iterations = 0
    samples.removeAll()
  }

  /// At `speed` iterations a second: the time the next iteration is due, if it is not due yet,
  /// or else how many iterations are owed (at least one).
  func due(speed: Double, at time: UInt64) -> (wait: DispatchTime?, owed: Int) {
    let interval = 1e9 / speed
    let due = start + UInt64(Double(iterations + 1) * interval)
    if time < due { return (DispatchTime(uptimeNanoseconds: due), 0) }
    return (nil, max(1, Int(Double(time - start) / interval) - iterations))
  }

  /// Counts iterations run on the pace.
  mutating func ran(_ count: Int) { iterations += count }

  /// Records that the session had run `count` iterations at `time`; returns the rate over about
  /// the last second.
  mutating func rate(count: Int, at time: UInt64) -> Double {
    samples.append((time, count))
    samples.removeAll { time - $0.time > 1_000_000_000 }
    guard let oldest = samples.first, time > oldest.time else { return 0 }
    return Double(count - oldest.count) / (Double(time - oldest.time) / 1e9)
  }
}
