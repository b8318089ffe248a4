package io.lambdatrades.launcher.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdatrades.common.config.DataDirectory;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.launcher.CommonOptions;
import io.lambdatrades.launcher.Logging;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Health of the system on the data directory (or the configured services). Exit code 0 healthy, 1 degraded.")
public final class StatusCommand
        implements Callable<Integer>
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    CommonOptions common;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Override
    public Integer call()
            throws JsonProcessingException
    {
        LambdaConfig config = common.load(Map.of());
        if (config.kafka().bootstrapServers().isEmpty() || config.postgres().jdbcUrl().isEmpty()) {
            DataDirectory.existing(config.dataDir());
        }
        Logging.configure(config.dataDir().resolve("logs"), common.verbose);
        SystemStatus status = new StatusProbe(config).probe();
        if (json) {
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(status));
        }
        else {
            print(status, System.out);
        }
        return status.healthy() ? 0 : 1;
    }

    private static void print(SystemStatus status, PrintStream out)
    {
        out.println("lambda status: " + (status.healthy() ? "HEALTHY" : "DEGRADED") + "  (data directory " + status.dataDir() + ")");
        out.printf("  %-10s %-6s %s%n", "kafka", status.kafka().state(), nullToEmpty(status.kafka().bootstrapServers()));
        out.printf("  %-10s %-6s %s%n", "postgres", status.postgres().state(), nullToEmpty(status.postgres().jdbcUrl()));
        SystemStatus.Disk disk = status.disk();
        out.printf(Locale.ROOT, "  %-10s %-6s %,d MiB free of %,d MiB (degraded under %,d MiB: data.min.free.mb)%n", "disk",
                disk.freeBytes() < disk.minFreeBytes() ? "low" : "ok", disk.freeBytes() >> 20, disk.totalBytes() >> 20, disk.minFreeBytes() >> 20);
        status.topics().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(topic ->
                out.printf(Locale.ROOT, "  %-10s %s: %,d records in %d partitions%n", "topic", topic.getKey(), topic.getValue().records(), topic.getValue().partitions()));
        out.printf("  %-10s %s%s%n", "cutoff", status.batch().cutoff() == null ? "unknown" : status.batch().cutoff(),
                status.batch().lateTrades() == null ? "" : String.format(Locale.ROOT, ", %,d late trades for the next batch run", status.batch().lateTrades()));
        SystemStatus.Batch batch = status.batch();
        if (batch.oldestUnabsorbedHours() != null) {
            out.printf(Locale.ROOT, "  %-10s oldest unabsorbed trade in Kafka for %.1f h of %d h retention%n", "backlog", batch.oldestUnabsorbedHours(), batch.retentionHours());
        }
        if (batch.lastRuns() != null) {
            batch.lastRuns().forEach(run -> out.printf(Locale.ROOT, "  %-10s %d %s %s %s, attempt %d%s%s%n", "batch run", run.runId(), run.periodStart(), run.trigger(),
                    run.state(), run.attempts(), run.seconds() == null ? "" : String.format(Locale.ROOT, ", %.1f s", run.seconds()),
                    run.error() == null ? "" : ": " + run.error()));
        }
        if (batch.nextRunAt() != null) {
            out.printf("  %-10s %s%n", "next run", batch.nextRunAt());
        }
        status.layers().forEach((name, layer) -> out.printf("  %-10s %-10s %s%s%s%n", name, layer.state(),
                layer.pid() == null ? "" : "pid " + layer.pid(), layer.restarts() == null || layer.restarts() == 0 ? "" : ", restarted " + layer.restarts() + " time(s)",
                layer.detail() == null ? "" : "  " + layer.detail()));
        SystemStatus.Ingest ingest = status.ingest();
        if (ingest != null) {
            out.printf(Locale.ROOT, "  %-10s %s %s, %,.0f trades/s, %,d trades, %,d dead letters, last trade %s, %d restarts%n", "ingest",
                    ingest.source(), ingest.phase(), ingest.tradesPerSecond(), ingest.trades(), ingest.deadLetters(),
                    ingest.lastTradeAt() == null ? "none" : ingest.lastTradeAt(), ingest.restarts());
            if (ingest.lastFrameAgeMs() != null) {
                out.printf(Locale.ROOT, "  %-10s %,d frames (%,d pings, %,d unknown), last %,d ms ago, %,d reconnects, %,d buffered%n", "feed",
                        ingest.frames(), ingest.pings(), ingest.unknownMessages(), ingest.lastFrameAgeMs(), ingest.reconnects(), ingest.bufferedFrames());
            }
            if (ingest.tradesMayBeMissing() > 0 || ingest.framesMayBeMissing() > 0) {
                out.printf(Locale.ROOT, "  %-10s up to %,d trade(s) and the trades of %,d frame(s) may be missing from Kafka: an ingester died before handing them over%n",
                        "lost?", ingest.tradesMayBeMissing(), ingest.framesMayBeMissing());
            }
        }
        if (status.servingUrl() != null) {
            out.printf("  %-10s %s/  (API %s/api/v1)%n", "dashboard", status.servingUrl(), status.servingUrl());
        }
        if (status.speed() != null) {
            out.printf("  %-10s %s%n", "speed", status.speed().describe());
        }
        status.problems().forEach(problem -> out.println("  problem    " + problem));
    }

    private static String nullToEmpty(String value)
    {
        return value == null ? "" : value;
    }
}
