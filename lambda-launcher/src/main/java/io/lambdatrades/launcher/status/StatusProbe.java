package io.lambdatrades.launcher.status;

import io.lambdatrades.common.Failures;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.launcher.SpeedCommand;
import io.lambdatrades.speed.SpeedMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/** Looks at every part of the system, from the runtime file and by asking Kafka and PostgreSQL. */
public final class StatusProbe
{
    private static final int TIMEOUT_MS = 5_000;
    // Layers that run in other issues' processes; they report "absent" until they are part of the build.
    private static final List<String> LAYERS = List.of("ingest", "speed", "scheduler", "serving");

    private final LambdaConfig config;

    public StatusProbe(LambdaConfig config)
    {
        this.config = requireNonNull(config, "config is null");
    }

    public SystemStatus probe()
    {
        List<String> problems = new ArrayList<>();
        Optional<RuntimeState> runtime = new RuntimeFile(config.dataDir()).read();
        boolean upAlive = runtime.map(RunningSystem::isAlive).orElse(false);
        if (runtime.isEmpty()) {
            problems.add("no 'lambda up' has run on " + config.dataDir());
        }
        else if (!upAlive) {
            problems.add("'lambda up' (pid " + runtime.get().pid() + ") is not running");
        }

        Optional<String> bootstrapServers = config.kafka().bootstrapServers().or(() -> runtime.filter(state -> upAlive).map(RuntimeState::kafkaBootstrapServers));
        Map<String, SystemStatus.Topic> topics = new LinkedHashMap<>();
        SystemStatus.Service kafka = bootstrapServers
                .map(servers -> probeKafka(servers, topics, problems))
                .orElse(new SystemStatus.Service("unknown", null, null));

        Optional<PostgresConnection> postgresConnection = config.postgres().jdbcUrl()
                .map(url -> new PostgresConnection(url, config.postgres().user(), config.postgres().password()))
                .or(() -> runtime.filter(state -> upAlive).map(state -> new PostgresConnection(state.postgresJdbcUrl(), state.postgresUser(), "")));
        PostgresProbe postgres = postgresConnection
                .map(connection -> probePostgres(connection, bootstrapServers, "up".equals(kafka.state()), problems))
                .orElse(new PostgresProbe(new SystemStatus.Service("unknown", null, null), SystemStatus.Batch.unknown()));

        Map<String, SystemStatus.Layer> layers = new LinkedHashMap<>();
        for (String name : LAYERS) {
            layers.put(name, layer(name, runtime, upAlive));
        }
        SystemStatus.Ingest ingest = runtime.filter(state -> upAlive).map(state -> ingest(state.ingest())).orElse(null);
        SystemStatus.Layer ingestLayer = layers.get("ingest");
        boolean ingestHealthy = "running".equals(ingestLayer.state()) || "finished".equals(ingestLayer.state());
        if (upAlive && !ingestHealthy) {
            problems.add("the ingester is " + ingestLayer.state() + (ingestLayer.detail() == null ? "" : ": " + ingestLayer.detail()));
        }
        SystemStatus.Layer speedLayer = layers.get("speed");
        boolean speedHealthy = "absent".equals(speedLayer.state()) || "running".equals(speedLayer.state());
        if (upAlive && !speedHealthy) {
            problems.add("the speed layer is " + speedLayer.state() + (speedLayer.detail() == null ? "" : ": " + speedLayer.detail()));
        }
        SystemStatus.Layer schedulerLayer = layers.get("scheduler");
        boolean schedulerHealthy = "absent".equals(schedulerLayer.state()) || "running".equals(schedulerLayer.state());
        if (upAlive && !schedulerHealthy) {
            problems.add("the scheduler is " + schedulerLayer.state() + (schedulerLayer.detail() == null ? "" : ": " + schedulerLayer.detail()));
        }
        SystemStatus.Layer servingLayer = layers.get("serving");
        boolean servingHealthy = "absent".equals(servingLayer.state()) || "running".equals(servingLayer.state());
        if (upAlive && !servingHealthy) {
            problems.add("the serving layer is " + servingLayer.state() + (servingLayer.detail() == null ? "" : ": " + servingLayer.detail()));
        }
        SpeedMetrics speed = "running".equals(speedLayer.state()) ? speedMetrics().orElse(null) : null;
        String servingUrl = "running".equals(servingLayer.state())
                ? new StateFile<>(config.dataDir(), ServingEndpoint.FILE, ServingEndpoint.class).read().map(ServingEndpoint::url).orElse(null)
                : null;
        DiskSpace disk = DiskSpace.of(config.dataDir(), config.dataMinFreeBytes());
        if (disk.low()) {
            problems.add(disk.problem());
        }
        boolean healthy = "up".equals(kafka.state()) && "up".equals(postgres.service().state()) && ingestHealthy && speedHealthy && schedulerHealthy && servingHealthy
                && (postgres.batch().offsetsLost() == null || postgres.batch().offsetsLost() == 0) && !postgres.batch().retentionAtRisk() && !disk.low();
        return new SystemStatus(healthy, config.dataDir().toString(), new SystemStatus.Disk(disk.freeBytes(), disk.totalBytes(), disk.minFreeBytes()), kafka, postgres.service(), topics, postgres.batch(), layers, ingest, speed, servingUrl, problems);
    }

    /** What the speed layer published, when it is recent. */
    private Optional<SpeedMetrics> speedMetrics()
    {
        return new StateFile<>(config.dataDir(), SpeedCommand.SPEED_METRICS_FILE, SpeedMetrics.class).read()
                .filter(metrics -> System.currentTimeMillis() - metrics.updatedAt() < RunningSystem.STALE_AFTER.toMillis());
    }

    private SystemStatus.Service probeKafka(String servers, Map<String, SystemStatus.Topic> topics, List<String> problems)
    {
        Map<String, Object> settings = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        try (Admin admin = Admin.create(settings)) {
            List<String> names = List.of(config.kafka().topic(), config.kafka().deadLetterTopic());
            Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            List<TopicPartition> partitions = descriptions.values().stream()
                    .flatMap(description -> description.partitions().stream().map(info -> new TopicPartition(description.name(), info.partition())))
                    .toList();
            Map<TopicPartition, ListOffsetsResultInfo> earliest = offsets(admin, partitions, OffsetSpec.earliest());
            Map<TopicPartition, ListOffsetsResultInfo> latest = offsets(admin, partitions, OffsetSpec.latest());
            for (String name : names) {
                long records = partitions.stream().filter(partition -> partition.topic().equals(name))
                        .mapToLong(partition -> latest.get(partition).offset() - earliest.get(partition).offset())
                        .sum();
                topics.put(name, new SystemStatus.Topic(records, descriptions.get(name).partitions().size()));
            }
            return new SystemStatus.Service("up", servers, null);
        }
        catch (Exception e) {
            problems.add("Kafka at " + servers + " does not answer: " + Failures.oneLine(e.getCause() == null ? e : e.getCause()));
            return new SystemStatus.Service("down", servers, null);
        }
    }

    private static Map<TopicPartition, ListOffsetsResultInfo> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws Exception
    {
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), partition -> spec)))
                .all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    private PostgresProbe probePostgres(PostgresConnection connection, Optional<String> bootstrapServers, boolean kafkaUp, List<String> problems)
    {
        String cutoff = null;
        Long lateTrades = null;
        try (Connection jdbc = connection.open(); Statement statement = jdbc.createStatement()) {
            statement.setQueryTimeout(TIMEOUT_MS / 1000);
            try (ResultSet rows = statement.executeQuery("SELECT cutoff_ts FROM lambda.cutoff")) {
                if (rows.next()) {
                    cutoff = rows.getTimestamp(1).toInstant().toString();
                }
            }
            // Trades the speed layer saw for periods the batch layer has closed: in the views after the next run.
            try (ResultSet rows = statement.executeQuery(
                    "SELECT coalesce(sum(trades), 0) FROM lambda.speed_minute WHERE bucket < (SELECT cutoff_ts FROM lambda.cutoff)")) {
                rows.next();
                lateTrades = rows.getLong(1);
            }
            BatchHistoryProbe history = BatchHistoryProbe.probe(connection, bootstrapServers.filter(servers -> kafkaUp), config, problems);
            return new PostgresProbe(new SystemStatus.Service("up", null, connection.redactedUrl()), new SystemStatus.Batch(cutoff, lateTrades,
                    history.nextRunAt(), history.lastRuns(), history.offsetsLost(), history.oldestUnabsorbedHours(), (int) config.kafka().retention().toHours()));
        }
        catch (Exception e) {
            problems.add("PostgreSQL at " + connection.redactedUrl() + " does not answer: " + Failures.oneLine(e));
            return new PostgresProbe(new SystemStatus.Service("down", null, connection.redactedUrl()), SystemStatus.Batch.unknown());
        }
    }

    private record PostgresProbe(SystemStatus.Service service, SystemStatus.Batch batch) {}

    private static SystemStatus.Layer layer(String name, Optional<RuntimeState> runtime, boolean upAlive)
    {
        Optional<RuntimeState.LayerState> reported = runtime.map(state -> state.layers().get(name));
        if (reported.isEmpty() && !"ingest".equals(name)) {
            return new SystemStatus.Layer("absent", null, null, null);
        }
        if (reported.isEmpty() || !upAlive) {
            return new SystemStatus.Layer("down", null, null, null);
        }
        RuntimeState.LayerState layer = reported.get();
        return new SystemStatus.Layer(layer.state(), layer.pid() > 0 ? layer.pid() : null, layer.detail().isEmpty() ? null : layer.detail(), layer.restarts());
    }

    private static SystemStatus.Ingest ingest(RuntimeState.IngestStatus status)
    {
        String lastTradeAt = status.lastTradeTs() == Long.MIN_VALUE ? null : Instant.ofEpochMilli(status.lastTradeTs()).toString();
        Long lastFrameAge = status.lastFrameAt() == Long.MIN_VALUE ? null : Math.max(0, System.currentTimeMillis() - status.lastFrameAt());
        Map<String, String> lastTradeAtBySymbol = new TreeMap<>();
        status.lastTradeTsBySymbol().forEach((symbol, ts) -> lastTradeAtBySymbol.put(symbol, Instant.ofEpochMilli(ts).toString()));
        return new SystemStatus.Ingest(status.source(), status.phase(), status.tradesPerSecond(), status.trades(), status.deadLetters(), lastTradeAt,
                status.restarts(), status.frames(), status.pings(), status.unknownMessages(), status.reconnects(), lastFrameAge, status.bufferedFrames(),
                lastTradeAtBySymbol, status.tradesMayBeMissing(), status.framesMayBeMissing());
    }
}
