package io.lambdatrades.launcher.up;

import io.lambdatrades.batch.MetastoreSchema;
import io.lambdatrades.common.Failures;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.PostgresSchema;
import io.lambdatrades.common.TradeTopics;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.common.config.Settings;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.embedded.EmbeddedMetastoreDatabase;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.PortAllocator;
import io.lambdatrades.ingest.IngestMetrics;
import io.lambdatrades.launcher.Console;
import io.lambdatrades.launcher.SchedulerCommand;
import io.lambdatrades.launcher.ingest.ProgressReporter;
import io.lambdatrades.launcher.status.DiskSpace;
import io.lambdatrades.launcher.status.RuntimeFile;
import io.lambdatrades.launcher.status.RuntimeState;
import io.lambdatrades.serving.AdminToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * What {@code lambda up} runs: Kafka and PostgreSQL (embedded unless configured), the schema, the
 * topics, and the layers, supervised. Publishes its state in the runtime file every second.
 */
public final class LambdaSystem
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(LambdaSystem.class);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);

    private final LambdaConfig config;
    private final List<String> childOptions;
    private final List<String> ingestOptions;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final RuntimeFile runtimeFile;
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "lambda-heartbeat");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch closed = new CountDownLatch(1);
    private final long startedAt = System.currentTimeMillis();
    private final long pid = ProcessHandle.current().pid();
    // Kafka, PostgreSQL and the metastore start side by side: one allocator keeps their free ports apart.
    private final PortAllocator ports = new PortAllocator();

    private String bootstrapServers;
    private PostgresConnection postgres;
    private String metastoreJdbcUrl = "";
    private IngestChild ingest;
    private ChildLayer speed;
    private ChildLayer scheduler;
    private ChildLayer serving;
    private ProgressReporter progress;
    private boolean closing;
    private boolean started;
    // Read and written by the heartbeat only.
    private boolean diskLow;
    private volatile RuntimeException failure;

    private LambdaSystem(LambdaConfig config, List<String> childOptions, List<String> ingestOptions)
    {
        this.config = requireNonNull(config, "config is null");
        this.childOptions = List.copyOf(requireNonNull(childOptions, "childOptions is null"));
        this.ingestOptions = List.copyOf(requireNonNull(ingestOptions, "ingestOptions is null"));
        this.runtimeFile = new RuntimeFile(config.dataDir());
    }

    /**
     * Starts everything; on failure stops what was started and rethrows.
     *
     * @param childOptions options every layer in a JVM of its own gets (the data directory, the config file)
     * @param ingestOptions the feed's options given to up, for the ingester's JVM
     */
    static LambdaSystem start(LambdaConfig config, List<String> childOptions, List<String> ingestOptions, Console console)
            throws InterruptedException
    {
        LambdaSystem system = new LambdaSystem(config, childOptions, ingestOptions);
        try {
            system.startAll(console);
            return system;
        }
        catch (RuntimeException | InterruptedException e) {
            system.close();
            throw e;
        }
    }

    /** Each service in the order that lets the slow ones start side by side; a failure stops what started. */
    private void startAll(Console console)
            throws InterruptedException
    {
        resources.push(InstanceLock.acquire(config.dataDir()));
        console.line("lambda up: data directory " + config.dataDir());
        new TreeMap<>(config.effective()).forEach((key, value) -> log.info("config {} = {}", key, value));
        // PostgreSQL and the metastore start while Kafka does: none needs another.
        BackgroundStart<PostgresService> postgresStart = BackgroundStart.begin("postgres", this::startPostgres);
        resources.push(postgresStart);
        Optional<BackgroundStart<EmbeddedMetastoreDatabase>> metastoreStart = config.batch().metastoreUri().isPresent()
                ? Optional.empty()
                : Optional.of(BackgroundStart.begin("metastore", this::startMetastore));
        metastoreStart.ifPresent(resources::push);
        startKafka(console);
        // The ingester first: its JVM starts while PostgreSQL and the metastore do.
        startIngest(console);
        awaitPostgres(postgresStart.await(), console);
        // The dashboard needs PostgreSQL only: its JVM starts while the metastore and Spark do.
        if (config.serving().enabled()) {
            startServing(console);
        }
        awaitMetastore(metastoreStart, console);
        // The scheduler before the speed layer: a first start's catch-up is queued before the speed layer
        // reads the history, which it then leaves to the batch layer.
        if (config.scheduler().enabled()) {
            startScheduler(console);
        }
        if (config.speed().enabled()) {
            startSpeed(console);
        }
        console.line(String.format("  %-10s %s", "runtime", runtimeFile.path()));
        console.line(String.format("  %-10s %s", "logs", config.dataDir().resolve("logs").resolve("lambda.log")));
        console.line("Ctrl-C stops everything.");

        synchronized (this) {
            started = true;
            if (failure != null) {
                throw failure;
            }
        }
        publish("running");
        log.info("lambda up running with pid {}", pid);
    }

    private void startKafka(Console console)
            throws InterruptedException
    {
        bootstrapServers = config.kafka().bootstrapServers().orElseGet(() -> {
            EmbeddedKafka kafka = EmbeddedKafka.start(config.dataDir().resolve("kafka"),
                    ports.choose(config.kafka().port(), Settings.KAFKA_PORT.key()), ports.choose(config.kafka().controllerPort(), Settings.KAFKA_CONTROLLER_PORT.key()));
            resources.push(kafka);
            return kafka.bootstrapServers();
        });
        console.line(String.format("  %-10s %s%s", "kafka", bootstrapServers, config.kafka().bootstrapServers().isPresent() ? " (external)" : "  (log in " + config.dataDir().resolve("kafka") + ")"));
        TradeTopics.of(config.kafka()).ensure(bootstrapServers, TOPIC_TIMEOUT);
        console.line(String.format("  %-10s %s, %s", "topics", config.kafka().topic(), config.kafka().deadLetterTopic()));
    }

    private void startIngest(Console console)
    {
        List<String> ingestCommand = new ArrayList<>(List.of("ingest"));
        ingestCommand.addAll(childOptions);
        ingestCommand.addAll(ingestOptions);
        ingest = new IngestChild(config.dataDir(), ingestCommand, ChildEnvironment.of(pid, bootstrapServers), this::stopFor);
        resources.push(ingest);
        ingest.start();
        console.line(String.format("  %-10s %s (a child JVM, log in %s)", "ingest", describeSource(), config.dataDir().resolve("logs").resolve("ingest.out")));
        // Progress from the first trade on, while the rest starts; the runtime file once everything has.
        progress = new ProgressReporter(ingest, config.ingest().source(), console);
        heartbeat.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** The configured PostgreSQL, or an embedded one, with the schema migrated. */
    private PostgresService startPostgres()
    {
        Optional<EmbeddedPostgresServer> server = config.postgres().jdbcUrl().isPresent()
                ? Optional.empty()
                : Optional.of(EmbeddedPostgresServer.start(
                        config.dataDir().resolve("postgres"), config.dataDir().resolve("tmp").resolve("postgres-binaries"), ports.choose(config.postgres().port(), Settings.POSTGRES_PORT.key())));
        PostgresService service = new PostgresService(
                server.map(EmbeddedPostgresServer::connection)
                        .orElseGet(() -> new PostgresConnection(config.postgres().jdbcUrl().orElseThrow(), config.postgres().user(), config.postgres().password())),
                server);
        try {
            new PostgresSchema(service.connection()).migrate();
            return service;
        }
        catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    private void awaitPostgres(PostgresService service, Console console)
    {
        postgres = service.connection();
        console.line(String.format("  %-10s %s%s", "postgres", postgres.redactedUrl(), service.server().isEmpty() ? " (external)" : "  (data in " + config.dataDir().resolve("postgres") + ")"));
    }

    private void startServing(Console console)
    {
        AdminToken.resolve(Optional.ofNullable(System.getenv(AdminToken.ENV)), config.dataDir());
        serving = startChildLayer("serving", List.of("serve", "--port", Integer.toString(config.serving().port()), "--host", config.serving().host()));
        console.line(String.format("  %-10s %s (a child JVM; admin token in %s unless %s is set)", "serving",
                config.serving().port() == 0 ? "dashboard on a free port (see lambda status)" : "dashboard http://" + config.serving().host() + ":" + config.serving().port() + "/",
                config.dataDir().resolve(AdminToken.FILE), AdminToken.ENV));
    }

    /** The embedded metastore database, with Hive's tables created. */
    private EmbeddedMetastoreDatabase startMetastore()
    {
        EmbeddedMetastoreDatabase metastore = EmbeddedMetastoreDatabase.start(config.batch().metastoreDir(), ports.choose(config.batch().metastorePort(), Settings.METASTORE_PORT.key()));
        try {
            MetastoreSchema.create(metastore.jdbcUrl(), config.batch().warehouseDir());
            return metastore;
        }
        catch (RuntimeException e) {
            try {
                metastore.close();
            }
            catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private void awaitMetastore(Optional<BackgroundStart<EmbeddedMetastoreDatabase>> start, Console console)
            throws InterruptedException
    {
        if (start.isEmpty()) {
            console.line(String.format("  %-10s %s (external)", "metastore", config.batch().metastoreUri().orElseThrow()));
            return;
        }
        EmbeddedMetastoreDatabase metastore = start.get().await();
        metastoreJdbcUrl = metastore.jdbcUrl();
        console.line(String.format("  %-10s Derby on 127.0.0.1:%d, warehouse %s  (database in %s)", "metastore", metastore.port(),
                config.batch().warehouseDir(), config.batch().metastoreDir()));
    }

    private void startScheduler(Console console)
    {
        scheduler = startChildLayer("scheduler", List.of("scheduler"));
        console.line(String.format("  %-10s %s (a child JVM; each run in a JVM of its own, log in %s)", "scheduler",
                SchedulerCommand.describe(config), config.dataDir().resolve("logs").resolve("batch.out")));
    }

    private void startSpeed(Console console)
    {
        speed = startSpeedLayer();
        console.line(String.format("  %-10s Spark %s, trigger %d ms, checkpoint %s (a child JVM, log in %s)", "speed", config.speed().spark().master(),
                config.speed().trigger().toMillis(), config.speed().checkpointDir(), config.dataDir().resolve("logs")));
    }

    /** The feed refused us for good: stop everything, now or, while starting, once started. */
    private synchronized void stopFor(RuntimeException refusal)
    {
        failure = refusal;
        if (started) {
            new Thread(this::close, "lambda-stop").start();
        }
    }

    private ChildLayer startSpeedLayer()
    {
        return startChildLayer("speed", List.of("speed"));
    }

    /** A layer in a JVM of its own, pointed at this system's Kafka and PostgreSQL. */
    private ChildLayer startChildLayer(String name, List<String> command)
    {
        Map<String, String> environment = ChildEnvironment.of(pid, bootstrapServers, postgres);
        List<String> arguments = new ArrayList<>(command);
        arguments.addAll(childOptions);
        ChildLayer layer = new ChildLayer(name, arguments, environment, config.dataDir().resolve("logs").resolve(name + ".out"));
        resources.push(layer);
        layer.start();
        return layer;
    }

    private void tick()
    {
        try {
            ingest.refresh();
            progress.tick();
            watchDisk();
            publish("running");
        }
        catch (RuntimeException e) {
            log.warn("Heartbeat failed: {}", Failures.oneLine(e));
        }
    }

    /** Warns once when the data directory's disk runs low, and once when it has room again. */
    private void watchDisk()
    {
        DiskSpace disk = DiskSpace.of(config.dataDir(), config.dataMinFreeBytes());
        if (disk.low() != diskLow) {
            diskLow = disk.low();
            if (diskLow) {
                log.warn("{}", disk.problem());
            }
            else {
                log.info("Data directory {}: {} MiB free again", config.dataDir(), disk.freeBytes() >> 20);
            }
        }
    }

    private synchronized void publish(String state)
    {
        if ("running".equals(state) && (closing || !started) || ingest == null) {
            return;
        }
        IngestMetrics.Snapshot metrics = ingest.snapshot();
        RuntimeState.IngestStatus ingestStatus = new RuntimeState.IngestStatus(
                config.ingest().source(), ingest.phase(), progress == null ? 0 : progress.tradesPerSecond(),
                metrics.acknowledged(), metrics.deadLetters(), metrics.lastTradeTs(), ingest.restarts(),
                metrics.frames(), metrics.pings(), metrics.unknownMessages(), metrics.reconnects(), metrics.lastFrameAt(), metrics.bufferedFrames(),
                ingest.lastTradeTsBySymbol(), ingest.tradesMayBeMissing(), ingest.framesMayBeMissing());
        runtimeFile.write(new RuntimeState(
                pid, state, startedAt, System.currentTimeMillis(), bootstrapServers, postgres.jdbcUrl(), postgres.user(), metastoreJdbcUrl,
                layers(state),
                ingestStatus));
    }

    private Map<String, RuntimeState.LayerState> layers(String systemState)
    {
        boolean stopped = "stopped".equals(systemState);
        Map<String, RuntimeState.LayerState> layers = new HashMap<>();
        layers.put("ingest", new RuntimeState.LayerState(stopped ? "stopped" : ingest.state(), ingest.pid(), ingest.lastError(), ingest.restarts()));
        if (speed != null) {
            layers.put("speed", new RuntimeState.LayerState(stopped ? "stopped" : speed.state(), speed.pid(), speed.lastError(), speed.restarts()));
        }
        if (scheduler != null) {
            layers.put("scheduler", new RuntimeState.LayerState(stopped ? "stopped" : scheduler.state(), scheduler.pid(), scheduler.lastError(), scheduler.restarts()));
        }
        if (serving != null) {
            layers.put("serving", new RuntimeState.LayerState(stopped ? "stopped" : serving.state(), serving.pid(), serving.lastError(), serving.restarts()));
        }
        return layers;
    }

    /**
     * Blocks until {@link #close()} has finished, from whichever thread called it.
     *
     * @throws RuntimeException what made the system stop by itself, if anything did
     */
    void awaitClosed()
            throws InterruptedException
    {
        closed.await();
        if (failure != null) {
            throw failure;
        }
    }

    /** Stops the layers, then Kafka, then the metastore and PostgreSQL; safe to call more than once and from a signal handler. */
    @Override
    public void close()
    {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        heartbeat.shutdownNow();
        boolean published = ingest != null && postgres != null;
        if (published) {
            publish("stopping");
        }
        try {
            while (!resources.isEmpty()) {
                AutoCloseable resource = resources.pop();
                if (resource instanceof InstanceLock && published) {
                    publish("stopped");
                }
                try {
                    resource.close();
                }
                catch (Exception e) {
                    log.warn("Could not stop {} cleanly: {}", resource.getClass().getSimpleName(), Failures.oneLine(e));
                }
            }
        }
        finally {
            closed.countDown();
        }
    }

    private String describeSource()
    {
        var ingestConfig = config.ingest();
        return switch (ingestConfig.source()) {
            case "finnhub" -> "finnhub " + ingestConfig.finnhub().url() + ", " + ingestConfig.symbols().size() + " symbols";
            case "replay" -> "replay of " + ingestConfig.replay().file().orElseThrow() + " at "
                    + (Double.isInfinite(ingestConfig.replay().speed()) ? "max" : trim(ingestConfig.replay().speed()) + "x") + " speed";
            default -> "simulate, " + (ingestConfig.symbols().isEmpty() ? "14 default" : ingestConfig.symbols().size()) + " symbols, "
                    + trim(ingestConfig.rate()) + " trades/s live, " + ingestConfig.historyDays() + " days of history";
        };
    }

    private static String trim(double value)
    {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
