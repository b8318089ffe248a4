#!/usr/bin/env bash
# Builds the benchmarks (not the tests) and runs one benchmark's main class with the given arguments.
# Usage: bench/run.sh ClassName [args...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
main="$1"; shift
./mvnw -q -B -DskipTests -pl lambda-bench -am package
exec java -Xmx2g -XX:+UseG1GC -Djava.net.preferIPv4Stack=true \
  -cp "lambda-bench/target/lambda-bench-0.1.0-SNAPSHOT.jar:lambda-bench/target/lib/*" \
  "io.lambdatrades.bench.$main" "$@"
