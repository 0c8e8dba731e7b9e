/// A loss curve kept in bounded memory: consecutive iterations are merged into buckets that keep
/// their lowest, highest and last loss, and when there are too many buckets, neighbours merge and
/// each bucket covers twice as many iterations. The lowest and highest survive merging, so a
/// two-state oscillation still shows as a band however long the run.
public struct LossSeries: Sendable, Equatable {
  public struct Bucket: Sendable, Equatable {
    public var first: Int
    public var last: Int
    public var low: Double
    public var high: Double
    public var latest: Double
  }

  public private(set) var buckets: [Bucket] = []
  /// Iterations per bucket, a power of two.
  public private(set) var span = 1
  public let capacity: Int

  public init(capacity: Int = 2048) { self.capacity = max(2, capacity) }

  public var isEmpty: Bool { buckets.isEmpty }
  public var latest: Double? { buckets.last?.latest }

  /// Records the loss at an iteration; iterations must not go backwards. Losses that are not
  /// finite are left out.
  public mutating func append(_ iteration: Int, _ loss: Double) {
    guard loss.isFinite else { return }
    if let last = buckets.last, last.first / span == iteration / span {
      buckets[buckets.count - 1].last = iteration
      buckets[buckets.count - 1].low = min(last.low, loss)
      buckets[buckets.count - 1].high = max(last.high, loss)
      buckets[buckets.count - 1].latest = loss
    } else {
      buckets.append(Bucket(first: iteration, last: iteration, low: loss, high: loss, latest: loss))
    }
    while buckets.count > capacity { coarsen() }
  }

  /// Doubles the span, merging the buckets that now share one.
  private mutating func coarsen() {
    span *= 2
    var merged: [Bucket] = []
    merged.reserveCapacity(buckets.count / 2 + 1)
    for bucket in buckets {
      if let last = merged.last, last.first / span == bucket.first / span {
        merged[merged.count - 1].last = bucket.last
        merged[merged.count - 1].low = min(last.low, bucket.low)
        merged[merged.count - 1].high = max(last.high, bucket.high)
        merged[merged.count - 1].latest = bucket.latest
      } else {
        merged.append(bucket)
      }
    }
    buckets = merged
  }

  /// The curve from iteration `start` on, counted from there (`start` is 0).
  public func since(_ start: Int) -> LossSeries {
    var series = self
    series.buckets = buckets.filter { $0.first >= start }.map { bucket in
      var moved = bucket
      moved.first -= start
      moved.last -= start
      return moved
    }
    return series
  }

  /// The lowest and highest loss over all buckets.
  public var range: (low: Double, high: Double)? {
    guard !buckets.isEmpty else { return nil }
    return (buckets.map(\.low).min()!, buckets.map(\.high).max()!)
  }
}
