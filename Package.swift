// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "descent",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "descent", targets: ["descent"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
  ],
  targets: [
    // The core is the hot loop: optimized even in debug builds, so the tests (which train the
    // post's 20,000 passes many times) and the dashboard under `swift run` stay fast.
    .target(name: "DescentCore", swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
    .systemLibrary(
      name: "CNcurses",
      providers: [.apt(["libncurses-dev"])]
    ),
    .target(
      name: "Dashboard",
      dependencies: ["DescentCore", "CNcurses", .product(name: "TOMLKit", package: "TOMLKit")]
    ),
    .executableTarget(
      name: "descent",
      dependencies: [
        "DescentCore",
        "Dashboard",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(
      name: "DescentCoreTests",
      dependencies: ["DescentCore"],
      exclude: ["Fixtures"]
    ),
    .testTarget(
      name: "DashboardTests",
      dependencies: ["Dashboard"]
    ),
    .testTarget(
      name: "DescentCLITests",
      dependencies: ["descent"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
