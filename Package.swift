// swift-tools-version: 6.1
import PackageDescription

/// The kernels' second and third builds are for AVX2 with FMA (Haswell and later) and AVX-512
/// (`DescentCore` uses each only where the CPU has it). On other hosts they are built like the
/// first and never chosen.
#if arch(x86_64)
  let avx2Kernels: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
  let avx512Kernels: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "skylake-avx512"])]
#else
  let avx2Kernels: [SwiftSetting] = []
  let avx512Kernels: [SwiftSetting] = []
#endif
/// LLVM's machine scheduler, left to itself, orders a sixteen-lane operation's four AVX2 (or eight
/// SSE) registers one whole dependency chain after another to save registers: exp's and tanh's
/// thirteen-step polynomials then run one at a time, each waiting on its own multiply-add latency.
/// Told to ignore register pressure it interleaves them (a few more spills, which are cheap):
/// measured 144k → 206k iterations a second for the post's network. Only the kernels get this.
let interleavedChains: SwiftSetting = .unsafeFlags(["-Xllvm", "-misched-regpressure=false"])
/// The hot loop and the drawing are optimized even in debug builds, so tests (the thread
/// sanitizer's too) and `swift run` train and draw at full speed.
let optimizedInDebug: SwiftSetting = .unsafeFlags(["-O"], .when(configuration: .debug))
/// The trainer's step reaches its class's stored properties some thirty times (the network, the
/// workspace, the generator, the buffers), and in release builds each access is checked for
/// exclusivity at run time through a thread-local table: 8-10% of the post's 3 µs step (measured
/// 240k → 260k iterations a second). Debug builds, which every test and the thread sanitizer
/// run, keep the checks; the compile-time checks stay everywhere.
let uncheckedExclusivityInRelease: SwiftSetting = .unsafeFlags(
  ["-enforce-exclusivity=unchecked"], .when(configuration: .release))

let package = Package(
  name: "descent",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "descent", targets: ["descent"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    // `descent serve` only (the DescentServe target): the SSH protocol, its event loop, its keys.
    .package(url: "https://github.com/apple/swift-nio-ssh", from: "0.15.1"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
  ],
  targets: [
    // The matrix products and the vectorized exp and tanh, compiled three times from the same
    // files (Sources/DescentKernelsAVX2 and Sources/DescentKernelsAVX512 link to Sources/DescentKernels).
    .target(name: "DescentKernels", swiftSettings: [optimizedInDebug, interleavedChains]),
    .target(name: "DescentKernelsAVX2", swiftSettings: [optimizedInDebug, interleavedChains] + avx2Kernels),
    .target(name: "DescentKernelsAVX512", swiftSettings: [optimizedInDebug, interleavedChains] + avx512Kernels),
    .target(
      name: "DescentCore", dependencies: ["DescentKernels", "DescentKernelsAVX2", "DescentKernelsAVX512"],
      swiftSettings: [optimizedInDebug, uncheckedExclusivityInRelease]),
    .systemLibrary(
      name: "CNcurses",
      providers: [.apt(["libncurses-dev"])]
    ),
    .target(
      name: "Dashboard",
      dependencies: ["DescentCore", "CNcurses", .product(name: "TOMLKit", package: "TOMLKit")],
      swiftSettings: [optimizedInDebug]
    ),
    // glibc's pseudo-terminal and posix_spawn extensions, for the server's sessions.
    .systemLibrary(name: "CPseudoTerminal"),
    // The SSH server of `descent serve`: no curses here; each session's dashboard is a child process.
    .target(
      name: "DescentServe",
      dependencies: [
        "CPseudoTerminal",
        .product(name: "NIOSSH", package: "swift-nio-ssh"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    .executableTarget(
      name: "descent",
      dependencies: [
        "DescentCore",
        "Dashboard",
        "DescentServe",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(
      name: "DescentCoreTests",
      dependencies: ["DescentCore", "DescentKernels"],
      exclude: ["Fixtures"]
    ),
    // Reads an SVG with FoundationXML's parser, for the dashboard's and the CLI's tests.
    .target(name: "SVGTestSupport", path: "Tests/SVGTestSupport"),
    .testTarget(
      name: "DashboardTests",
      dependencies: ["Dashboard", "SVGTestSupport"]
    ),
    .testTarget(
      name: "DescentServeTests",
      dependencies: ["DescentServe"]
    ),
    .testTarget(
      name: "DescentCLITests",
      dependencies: ["descent", "DescentCore", "Dashboard", "SVGTestSupport"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
