package io.lambdatrades.serving;

import io.lambdatrades.common.StatusFigures;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import static java.util.Objects.requireNonNull;

/**
 * The serving layer's metrics in Prometheus' format: requests per route and status with their latency,
 * stream clients, and the figures of {@code lambda status} (ingest rate, speed delay and lag, late
 * trades, topic sizes, each layer's state) from a status snapshot taken at most every few seconds.
 */
final class ServingMetrics
{
    private static final List<String> LAYERS = List.of("ingest", "speed", "scheduler", "serving");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    ServingMetrics(LiveStream stream, Supplier<StatusFigures> status)
    {
        requireNonNull(stream, "stream is null");
        requireNonNull(status, "status is null");
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        Gauge.builder("lambda_stream_clients", stream, LiveStream::clients).description("Connected live-stream (SSE) clients").register(registry);
        Gauge.builder("lambda_stream_dropped_clients", stream, LiveStream::droppedClients).description("Stream clients dropped for falling behind").register(registry);
        Gauge.builder("lambda_stream_commits", stream, LiveStream::eventsSent).description("Speed-layer commits pushed to stream clients").register(registry);
        statusGauge(status, "lambda_ingest_trades_per_second", "Trades per second the ingester hands to Kafka", figures -> figures.ingest().tradesPerSecond());
        statusGauge(status, "lambda_ingest_trades", "Trades the ingester handed to Kafka since up started", figures -> figures.ingest().trades());
        statusGauge(status, "lambda_ingest_dead_letters", "Feed input sent to the dead-letter topic", figures -> figures.ingest().deadLetters());
        statusGauge(status, "lambda_ingest_trades_may_be_missing", "Trades an ingester that died had sent and Kafka had not acknowledged",
                figures -> figures.ingest().tradesMayBeMissing());
        statusGauge(status, "lambda_speed_delay_ms", "Now minus the newest trade time the speed layer wrote", figures -> figures.speed().delayMs());
        statusGauge(status, "lambda_speed_lag_records", "Records in Kafka the speed layer has not read", figures -> figures.speed().lagRecords());
        statusGauge(status, "lambda_speed_processed_per_second", "Trades per second the speed layer processed", figures -> figures.speed().processedPerSecond());
        statusGauge(status, "lambda_batch_late_trades", "Trades for closed periods waiting for the next batch run", StatusFigures::batchLateTrades);
        statusGauge(status, "lambda_topic_trades_records", "Records in the trades topic", StatusFigures::tradesTopicRecords);
        statusGauge(status, "lambda_topic_dlq_records", "Records in the dead-letter topic", StatusFigures::deadLetterTopicRecords);
        statusGauge(status, "lambda_data_free_bytes", "Free space on the data directory's disk", StatusFigures::dataFreeBytes);
        statusGauge(status, "lambda_healthy", "1 when lambda status is healthy", figures -> figures.healthy() ? 1 : 0);
        for (String layer : LAYERS) {
            Tags tags = Tags.of("layer", layer);
            Gauge.builder("lambda_layer_up", () -> status.get().layer(layer).running() ? 1 : 0).tags(tags).description("1 while the layer runs").register(registry);
            Gauge.builder("lambda_layer_restarts", () -> status.get().layer(layer).restarts()).tags(tags)
                    .description("Times the supervisor restarted the layer since up started").register(registry);
        }
    }

    private void statusGauge(Supplier<StatusFigures> status, String name, String description, ToDoubleFunction<StatusFigures> figure)
    {
        Gauge.builder(name, () -> figure.applyAsDouble(status.get())).description(description).register(registry);
    }

    void recordRequest(String method, String route, int status, float millis)
    {
        Timer.builder("lambda_http_requests")
                .description("HTTP requests by route and status")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .publishPercentiles(0.5, 0.99)
                .register(registry)
                .record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
    }

    String scrape()
    {
        return registry.scrape();
    }
}
