#!/usr/bin/env bash
# Ingest throughput: simulated market -> Kafka vs Kafka's ProducerPerformance, same broker, same settings.
# Usage: bench/ingest-throughput.sh [trades-per-round] [rounds]
exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" IngestThroughputBenchmark "$@"
