/// Where a knob changed or the run restarted, drawn on the loss chart.
public struct Marker: Sendable, Equatable {
  public var iteration: Int
  public var label: String
}

/// The training and test loss curves over the whole session, and the markers.
public struct LossHistory: Sendable, Equatable {
  public var train = LossSeries()
  public var test = LossSeries()
  public private(set) var markers: [Marker] = []
  /// The session's iteration where the current run began.
  public var runStart = 0
  /// At most this many markers are kept (the newest).
  public static let markerLimit = 64

  public init() {}

  public mutating func mark(_ iteration: Int, _ label: String) {
    markers.append(Marker(iteration: iteration, label: label))
    if markers.count > Self.markerLimit { markers.removeFirst(markers.count - Self.markerLimit) }
  }

  /// The last iteration recorded.
  public var end: Int { max(train.buckets.last?.last ?? 0, test.buckets.last?.last ?? 0) }
}
