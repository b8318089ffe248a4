#!/usr/bin/env bash
# Builds the benchmarks (not the tests) and runs one benchmark's main class with the given arguments.
# Usage: bench/run.sh ClassName [args...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
main="$1"; shift
./mvnw -q -B -DskipTests -pl lambda-bench -am package
exec java ${BENCH_JAVA_OPTS:-} -Xmx2g -Dlog4j2.configurationFile=log4j2.xml -XX:+UseG1GC -Djava.net.preferIPv4Stack=true \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
  -cp "lambda-bench/target/lambda-bench-0.1.0-SNAPSHOT.jar:lambda-bench/target/lib/*" \
  "io.lambdatrades.bench.$main" "$@"
