import Foundation

extension Theme {
  /// The theme for a terminal of 8 or 16 colours. Each theme colour would otherwise become its
  /// nearest basic colour on its own, and at 8 colours the default theme's class-0 points and
  /// region both became red (points vanished inside their own region) and the class-1 region
  /// black, the background. Here the regions take distinct basic colours other than the
  /// background's, and the points colours that are none of those and stand out in brightness
  /// from the regions (every region if possible, their own class's at least); each the basic
  /// colour most like the theme's in hue and lightness. 256 and 24-bit colour keep the theme.
  public func adapted(toColors count: Int) -> Theme {
    guard count > 0, count < 256, !monochrome else { return self }
    // The background's basic colour; the terminal's own is taken as dark for a theme whose
    // neutral region colour is dark, light otherwise.
    let assumed = background ?? (uncertain.luminance < 0.5 ? RGB(0, 0, 0) : RGB(255, 255, 255))
    let ground = Palette.nearest(assumed, among: count)
    let free = (0..<min(count, 16)).filter { Palette.xterm($0) != Palette.xterm(ground) }

    func closest(_ color: RGB, in candidates: [Int]) -> Int {
      candidates.min { Self.likeness(Palette.xterm($0), color) < Self.likeness(Palette.xterm($1), color) } ?? ground
    }
    func readable(_ index: Int, against regionIndices: [Int]) -> Bool {
      regionIndices.allSatisfy { abs(Palette.xterm(index).luminance - Palette.xterm($0).luminance) >= 0.25 }
    }
    // The first two classes (the post's moons) get regions and points all different; later
    // classes what is left, reusing colours when nothing is.
    let primary = 2
    var regionIndices: [Int] = []
    for color in regions.prefix(primary) {
      regionIndices.append(closest(color, in: free.filter { !regionIndices.contains($0) }))
    }
    var pointIndices: [Int] = []
    for (k, color) in classes.prefix(primary).enumerated() {
      let others = free.filter { !regionIndices.contains($0) && !pointIndices.contains($0) }
      let everywhere = others.filter { readable($0, against: regionIndices) }
      let onItsOwn = others.filter { readable($0, against: [regionIndices[k]]) }
      pointIndices.append(closest(color, in: !everywhere.isEmpty ? everywhere : !onItsOwn.isEmpty ? onItsOwn : others))
    }
    for color in regions.dropFirst(primary) {
      let unused = free.filter { !regionIndices.contains($0) && !pointIndices.contains($0) }
      regionIndices.append(closest(color, in: unused.isEmpty ? Array(regionIndices.prefix(primary)) : unused))
    }
    // A later class's points: not the colour of its own region or the first classes', nor of an
    // earlier class's points while one is left (classes must tell apart, as must the race's
    // curves, which take the class colours), readable on its own region if possible.
    for (k, color) in classes.enumerated().dropFirst(primary) {
      let avoid = Set(regionIndices.prefix(primary) + [regionIndices[k % regionIndices.count]])
      let allowed = free.filter { !avoid.contains($0) }
      let unused = allowed.filter { !pointIndices.contains($0) }
      let others = unused.isEmpty ? allowed : unused
      let onItsOwn = others.filter { readable($0, against: [regionIndices[k % regionIndices.count]]) }
      pointIndices.append(closest(color, in: onItsOwn.isEmpty ? others : onItsOwn))
    }
    var adapted = self
    adapted.regions = regionIndices.map(Palette.xterm)
    adapted.classes = pointIndices.map(Palette.xterm)
    adapted.uncertain = Palette.xterm(ground)
    // Text, lines and marks that would land on the background's own colour or too near it in
    // brightness (the light theme's grey ticks became white on white) take the most alike one
    // that reads on it.
    let legible = free.filter { readable($0, against: [ground]) }
    let roles: [WritableKeyPath<Theme, RGB>] = [
      \.text, \.dimText, \.border, \.title, \.focus, \.trainLoss, \.testLoss, \.marker, \.running, \.paused,
      \.diverged, \.done,
    ]
    for role in roles where !readable(Palette.nearest(self[keyPath: role], among: count), against: [ground]) {
      adapted[keyPath: role] = Palette.xterm(closest(self[keyPath: role], in: legible))
    }
    return adapted
  }

  /// How well a basic colour stands for a theme colour: the same hue and lightness (CIELAB).
  /// Plain distance would take pale pink to cyan and pale blue to black (among eight colours the
  /// nearest to a pale one is dark or far in hue), and a light theme's regions would turn dark.
  static func likeness(_ candidate: RGB, _ color: RGB) -> Double {
    let (p, q) = (candidate.lab, color.lab)
    let lightness = 1.5 * abs(p.l - q.l) / 100
    let (grey, greyWanted) = ((p.a * p.a + p.b * p.b).squareRoot() < 15, (q.a * q.a + q.b * q.b).squareRoot() < 15)
    guard grey == greyWanted else { return lightness + 1 }  // a grey for a colour, or a colour for a grey
    guard !grey else { return lightness }
    var turn = abs(atan2(p.b, p.a) - atan2(q.b, q.a)) * 180 / .pi
    if turn > 180 { turn = 360 - turn }
    return lightness + turn / 180
  }
}
