#!/usr/bin/env bash
# Finnhub-protocol WebSocket server -> ingester -> Kafka: throughput, and send -> append delay at a steady rate.
# Usage: bench/finnhub-ingest.sh [trades] [steady-rate] [steady-seconds]
exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" FinnhubIngestBenchmark "$@"
