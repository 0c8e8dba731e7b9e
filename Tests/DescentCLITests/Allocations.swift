import Foundation
import Testing

/// Counts a command's heap allocations: work that must not allocate per point or per row is
/// checked by a count, which no machine's speed or load changes, instead of by a time.
enum Allocations {
  /// A library preloaded into the binary: malloc, calloc, realloc and the aligned allocations go
  /// through glibc's own entry points and are counted; the total goes to `ALLOCATIONS_FILE` at exit.
  private static let counter = """
    #include <errno.h>
    #include <stdio.h>
    #include <stdlib.h>
    extern void *__libc_malloc(size_t);
    extern void *__libc_calloc(size_t, size_t);
    extern void *__libc_realloc(void *, size_t);
    extern void *__libc_memalign(size_t, size_t);
    static unsigned long long allocations;
    static void counted(void) { __atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED); }
    void *malloc(size_t n) { counted(); return __libc_malloc(n); }
    void *calloc(size_t c, size_t n) { counted(); return __libc_calloc(c, n); }
    void *realloc(void *p, size_t n) { counted(); return __libc_realloc(p, n); }
    void *memalign(size_t a, size_t n) { counted(); return __libc_memalign(a, n); }
    void *aligned_alloc(size_t a, size_t n) { counted(); return __libc_memalign(a, n); }
    int posix_memalign(void **p, size_t a, size_t n) {
      counted();
      void *q = __libc_memalign(a, n);
      if (!q) return ENOMEM;
      *p = q;
      return 0;
    }
    __attribute__((destructor)) static void report(void) {
      unsigned long long total = __atomic_load_n(&allocations, __ATOMIC_RELAXED);
      const char *path = getenv("ALLOCATIONS_FILE");
      FILE *f = path ? fopen(path, "w") : NULL;
      if (f) { fprintf(f, "%llu\\n", total); fclose(f); }
    }
    """

  /// The counter, built once with the system C compiler (the README's prerequisites).
  private static let library: Result<String, Error> = Result {
    let folder = CLI.temporaryFolder()
    try counter.write(toFile: folder + "/count.c", atomically: true, encoding: .utf8)
    let built = try CLI.shell("cc -O2 -shared -fPIC -o count.so count.c 2>&1", in: folder)
    guard built.status == 0 else { throw Failure(message: "cc could not build the counter: \(built.stdout)") }
    return folder + "/count.so"
  }

  private struct Failure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
  }

  /// Runs `descent` with `arguments` in `folder` (with `environment`); its allocations, and what
  /// it printed.
  static func count(
    _ arguments: [String], in folder: String, environment: [String: String] = [:]
  ) throws -> (allocations: Int, result: CLI.Result) {
    let file = folder + "/allocations-\(UUID().uuidString)"
    let counted = ["ALLOCATIONS_FILE": file, "LD_PRELOAD": try library.get()]
    let result = try CLI.run(arguments, in: folder, environment: environment.merging(counted) { $1 })
    // No file: the binary ended without running its destructors (a crash, a signal, `_exit`) or
    // the counter was not loaded.
    guard let text = try? String(contentsOfFile: file, encoding: .utf8), let allocations = Int(text.filter(\.isNumber))
    else {
      throw Failure(
        message:
          "no allocation count from descent \(arguments.joined(separator: " ")) (status \(result.status)): \(result.stderr)"
      )
    }
    // A binary with an allocator of its own (a sanitized build) never calls the counter.
    guard allocations > 1_000 else {
      throw Failure(message: "only \(allocations) allocations counted: is \(CLI.binary.path) a sanitized build?")
    }
    return (allocations, result)
  }
}
