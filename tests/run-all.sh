#!/usr/bin/env bash
# Runs every test: the firmware tests (the nano-compiled assemblies on .NET), the host-only tests,
# then the Python tool's tests, which also drive the desktop runner end to end.
# Needs the .NET 10 SDK and Debian's python3-torch, python3-numpy, python3-pytest, python3-matplotlib and gcc
# (.ci/run installs them).
set -uo pipefail
cd "$(dirname "$0")/.."
python=/usr/bin/python3
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

run() {
    echo "== $*"
    "$@" 2>&1 | tee -a "$log"
    local code=${PIPESTATUS[0]}
    if [ "$code" -ne 0 ]; then
        echo "== failed with exit code $code: $*"
        status=1
    fi
}

run dotnet test tests/NanoRnn.Tests/NanoRnn.Tests.csproj --nologo
run dotnet test tests/NanoRnn.HostTests/NanoRnn.HostTests.csproj --nologo
run "$python" -m pytest -q -p no:cacheprovider tests/python
# The cost harness checks its instrumented copies and every kernel against the reference kernel bit for bit before counting.
run dotnet run -c Release --project tools/NanoRnn.Bench -- il --steps 20 --warmup 5 --output /dev/null

# One closing line over all suites: dotnet prints "Passed: N" / "Failed: N", pytest "N passed" / "N failed".
sum() { grep -oE "$1" "$log" | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }'; }
passed=$(( $(sum 'Passed: +[0-9]+') + $(sum '[0-9]+ passed') ))
failed=$(( $(sum 'Failed: +[0-9]+') + $(sum '[0-9]+ (failed|errors?)\b') ))
echo "total: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ] || status=1
exit $status
