#!/usr/bin/env bash
# Runs the firmware tests on nanoCLR, nanoFramework's emulator: the NFUnitTest assembly that
# tests/NanoRnn.Tests/NanoRnn.Tests.nfproj builds (Visual Studio or msbuild with the nanoFramework
# extension; docs/nanoclr.md), with the .pe files of everything it loads.
#
#   bash tests/run-on-nanoclr.sh [--pe-folder DIR]   run the .pe files of DIR (default: the nfproj's bin/Debug)
#   bash tests/run-on-nanoclr.sh --parse FILE        only count the results in a saved nanoCLR output
#
# nanoCLR is, in this order: $NANOCLR (a nanoCLR POSIX build's nanoFramework.nanoCLR.test, or any
# runner taking `--assemblies A.pe B.pe …`), the `nanoclr` .NET global tool (`nanoclr run --assemblies …`),
# or nanoFramework.nanoCLR.test on PATH. The UnitTestLauncher in the .pe files prints one line per test,
# "Test passed,<method>,<ticks>", "Test failed,<method>,<message>" or "Test skipped,<method>,<message>"
# (some launcher versions put ':' after the verb); those lines are what is counted.
#
# Exit codes: 0 every test passed; 1 a test failed, or the output holds no test result; 2 bad arguments
# (NANOCLR_TIMEOUT, seconds before nanoCLR is stopped, default 600, is one)
# or unreadable file; 3 no nanoCLR is installed (says what to install); 4 no NFUnitTest.pe in the folder.
set -uo pipefail
cd "$(dirname "$0")/.."

usage() {
    echo "usage: bash tests/run-on-nanoclr.sh [--pe-folder DIR] | --parse FILE" >&2
    exit 2
}

# Prints the failed and skipped lines and a closing count; exit status 0 only if some test passed and none failed.
parse() {
    awk '
        /Test passed[,:]/  { passed++; next }
        /Test failed[,:]/  { failed++; print "FAILED  " $0; next }
        /Test skipped[,:]/ { skipped++; print "SKIPPED " $0; next }
        END {
            if (passed + failed + skipped == 0) {
                print "no test result lines (Test passed/failed/skipped) in the nanoCLR output"
                print "nanoCLR: 0 passed, 0 failed"
                exit 1
            }
            printf "nanoCLR: %d passed, %d failed, %d skipped\n", passed, failed, skipped
            exit (failed > 0 || passed == 0) ? 1 : 0
        }' "$1"
}

pe_folder=tests/NanoRnn.Tests/bin/Debug
case "${1:-}" in
    --parse)
        [ $# -eq 2 ] || usage
        [ -f "$2" ] && [ -r "$2" ] || { echo "error: cannot read $2" >&2; exit 2; }
        parse "$2"
        exit $?
        ;;
    --pe-folder)
        [ $# -eq 2 ] || usage
        pe_folder=$2
        ;;
    "") ;;
    *) usage ;;
esac

# Which nanoCLR, and how it takes the assemblies.
if [ -n "${NANOCLR:-}" ]; then
    [ -x "$NANOCLR" ] || { echo "error: NANOCLR=$NANOCLR is not an executable file" >&2; exit 3; }
    runner=("$NANOCLR" --assemblies)
elif command -v nanoclr >/dev/null 2>&1; then
    runner=(nanoclr run --assemblies)
elif [ -x "${HOME:-/nonexistent}/.dotnet/tools/nanoclr" ]; then
    runner=("$HOME/.dotnet/tools/nanoclr" run --assemblies)
elif command -v nanoFramework.nanoCLR.test >/dev/null 2>&1; then
    runner=(nanoFramework.nanoCLR.test --assemblies)
else
    cat >&2 <<'MSG'
nanoCLR is not installed. Install one of:
  - the nanoclr .NET global tool (Windows; it hosts nanoCLR's Windows build):
        dotnet tool install -g nanoclr
  - a nanoCLR POSIX build (Linux, macOS): nanoFramework's nf-interpreter, targets/posix, built as
    its README says; then point NANOCLR at its nanoFramework.nanoCLR.test
MSG
    exit 3
fi

if [ ! -f "$pe_folder/NFUnitTest.pe" ]; then
    echo "error: no NFUnitTest.pe in $pe_folder: build tests/NanoRnn.Tests/NanoRnn.Tests.nfproj with the nanoFramework extension first" >&2
    exit 4
fi

# mscorlib first, then the launcher and the framework, the other assemblies, the tests: nanoCLR
# resolves references once all are loaded, so the order of the others does not matter.
pes=("$pe_folder/mscorlib.pe" "$pe_folder/nanoFramework.UnitTestLauncher.pe" "$pe_folder/nanoFramework.TestFramework.pe")
for pe in "$pe_folder"/*.pe; do
    case "$(basename "$pe")" in
        mscorlib.pe | nanoFramework.UnitTestLauncher.pe | nanoFramework.TestFramework.pe | NFUnitTest.pe) ;;
        *) pes+=("$pe") ;;
    esac
done
pes+=("$pe_folder/NFUnitTest.pe")
for pe in "${pes[@]}"; do
    [ -f "$pe" ] || { echo "error: $pe is missing: rebuild the nfproj (its references copy their .pe files)" >&2; exit 4; }
done

# nanoCLR exits 0 whatever the tests did (the result lines decide) and never exits while a managed
# thread is still alive: stop it after NANOCLR_TIMEOUT seconds.
limit=${NANOCLR_TIMEOUT:-600}
case "$limit" in ''|*[!0-9]*) echo "error: NANOCLR_TIMEOUT=$limit is not a whole number of seconds" >&2; exit 2 ;; esac
output=$(mktemp)
trap 'rm -f "$output"' EXIT
echo "== ${runner[*]} ${pes[*]}"
timeout "$limit" "${runner[@]}" "${pes[@]}" 2>&1 | tee "$output"
[ "${PIPESTATUS[0]}" -ne 124 ] || echo "nanoCLR was stopped after $limit s"
parse "$output"
