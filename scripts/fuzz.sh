#!/usr/bin/env bash
# Builds the libFuzzer harnesses in Fuzz/ (address sanitizer on) and runs each for SECONDS
# (default 60) from the seed corpus in Fuzz/corpus/. A crash leaves its input in .build-fuzz/.
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
out=.build-fuzz
mkdir -p "$out"

swift build --product descent >/dev/null  # TOMLKit's objects, for the theme harness
bin=$(swift build --show-bin-path)
flags=(-sanitize=fuzzer,address -parse-as-library -g -suppress-warnings)

# Compiles one harness; a compile failure ends the script (an old harness must never be fuzzed
# instead). The linker's "Cannot export local symbol" notes are noise and are left out.
compile() {
  local name=$1
  shift
  rm -f "$out/$name-fuzzer"
  if ! "$@" -o "$out/$name-fuzzer" >"$out/$name-compile.log" 2>&1; then
    grep -v "Cannot export local symbol" "$out/$name-compile.log" >&2 || true
    echo "fuzz: the $name harness did not compile" >&2
    exit 1
  fi
}

# The core's kernels, all three builds, as modules the harnesses link. Unoptimized: the readers
# never call them, and optimizing the three took a minute and a half of CI.
kernels=()
for module in DescentKernels DescentKernelsAVX2 DescentKernelsAVX512; do
  cpu=()
  if [ "$(uname -m)" = x86_64 ]; then
    [ "$module" = DescentKernelsAVX2 ] && cpu=(-target-cpu haswell)
    [ "$module" = DescentKernelsAVX512 ] && cpu=(-target-cpu skylake-avx512)
  fi
  swiftc -sanitize=fuzzer,address -parse-as-library -Onone -wmo -suppress-warnings "${cpu[@]}" -module-name "$module" \
    -emit-module -emit-module-path "$out/$module.swiftmodule" -emit-object -o "$out/$module.o" Sources/DescentKernels/*.swift
  kernels+=("$out/$module.o")
done
compile csv swiftc "${flags[@]}" -I "$out" -module-name CSVFuzz Sources/DescentCore/*.swift Fuzz/CSVFuzzer.swift \
  "${kernels[@]}"
compile model swiftc "${flags[@]}" -I "$out" -module-name ModelFuzz Sources/DescentCore/*.swift Fuzz/ModelFuzzer.swift \
  "${kernels[@]}"
theme_sources=(
  Themes/Theme.swift Themes/Theme+File.swift Themes/TOMLSubset.swift Themes/TOMLSubset+Table.swift
  Themes/ThemeCatalog.swift Themes/BuiltinThemes.swift Themes/Color.swift Themes/Palette.swift Themes/ThemeProblem.swift
  Widgets/CellBuffer.swift Widgets/Style.swift Widgets/Cell.swift Widgets/Rect.swift
)
compile theme swiftc "${flags[@]}" -module-name ThemeFuzz -I "$bin/Modules" \
  -Xcc -fmodule-map-file="$bin/CTOML.build/module.modulemap" "${theme_sources[@]/#/Sources/Dashboard/}" \
  Fuzz/ThemeFuzzer.swift "$bin"/TOMLKit.build/*.o "$bin"/CTOML.build/Sources/*.o -lstdc++

status=0
for name in ${FUZZ_ONLY:-csv model theme}; do
  corpus="$out/corpus-$name"
  mkdir -p "$corpus"
  cp Fuzz/corpus/$name/* "$corpus/"
  echo "== $name: fuzzing for $seconds s"
  # TOMLKit 0.6.0 never frees a parsed table, its error buffer or the key list it returns: leaks
  # upstream, a few hundred bytes a theme read, so leak detection is off for the theme harness only.
  leaks=1
  [ "$name" = theme ] && leaks=0
  if ! ASAN_OPTIONS="detect_leaks=$leaks" "$out/$name-fuzzer" "$corpus" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$out/$name-" \
    -rss_limit_mb=4096 -detect_leaks=$leaks 2>"$out/$name.log"; then
    status=1
    echo "$name: CRASH; see $out/$name.log"
    tail -30 "$out/$name.log"
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$out/$name.log" | sed "s/^/$name: /"
done
exit $status
