#!/usr/bin/env bash
# Finnhub-protocol WebSocket server -> ingester -> Kafka: throughput, and send -> append delay at a steady rate.
# Usage: bench/finnhub-ingest.sh [trades] [steady-rate] [steady-seconds]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rm -rf lambda-bench/target/lib
./mvnw -q -B -DskipTests -pl lambda-bench -am package
exec java -Xmx2g -XX:+UseG1GC -Djava.net.preferIPv4Stack=true \
  -cp "lambda-bench/target/lambda-bench-0.1.0-SNAPSHOT.jar:lambda-bench/target/lib/*" \
  io.lambdatrades.bench.FinnhubIngestBenchmark "$@"
