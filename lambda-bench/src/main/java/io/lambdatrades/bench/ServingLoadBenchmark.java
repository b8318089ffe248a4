package io.lambdatrades.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lambdatrades.common.AggregateColumns;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.config.ServingConfig;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.TestDatabases;
import io.lambdatrades.serving.AdminToken;
import io.lambdatrades.serving.Interval;
import io.lambdatrades.serving.ServingQueries;
import io.lambdatrades.serving.ServingServer;
import io.lambdatrades.serving.StatusSource;
import io.lambdatrades.speed.KafkaTrade;
import io.lambdatrades.speed.SpeedSink;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * The serving layer under load while trades arrive: the merged views as a BI tool reads them (every
 * column, over JDBC, 100 queries/s); then at each rate the symbol list and a merged 30-day daily query
 * through the HTTP API with its cache off and as shipped, side by side with the same SQL over JDBC
 * from a pool; then the memory of 1,000 idle stream clients and the dashboard's first render in Chromium.
 *
 * <p>Data: {@code symbols} symbols (default 50) with a year of batch days and hours, a week of batch minutes, and today's minutes
 * in the speed layer, while a writer commits 1,000 trades/s through the speed sink (each commit a
 * NOTIFY, as in production). Usage: {@code ServingLoadBenchmark [seconds-per-rate] [rate...]}; {@code -Dlive.trades=0}
 * stops the writer, {@code -Dphases=regex} runs only the measurements whose names match.
 */
public final class ServingLoadBenchmark
{
    private static final int SYMBOLS = Integer.getInteger("symbols", 50);
    private static final int LIVE_TRADES_PER_SECOND = Integer.getInteger("live.trades", 1_000);
    // Which measurements run, by name (-Dphases=regex): one question's cause found without the whole run.
    private static final Pattern PHASES = Pattern.compile(System.getProperty("phases", ".*"));
    // The SQL reference goes through 8 pooled connections, as the API's own pool; HTTP clients hold 16 connections.
    private static final int SQL_THREADS = 8;
    private static final int HTTP_THREADS = 16;
    // How often a BI tool's dashboards query the views, all users together.
    private static final int BI_RATE = 100;
    private static final int WARM_UP_SECONDS = 3;
    private static final ThreadLocal<byte[]> READ_BUFFER = ThreadLocal.withInitial(() -> new byte[64 * 1024]);

    private ServingLoadBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        // HttpURLConnection keeps 5 idle connections a server unless told: the 16 clients would open new ones.
        System.setProperty("http.maxConnections", Integer.toString(HTTP_THREADS));
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int[] rates = args.length > 1 ? java.util.Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray() : new int[] {1_000, 5_000};
        try (ScratchDirectory scratch = new ScratchDirectory("bench-serving");
                EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(scratch.directory("postgres"), scratch.directory("pg-binaries"), 0)) {
            PostgresConnection database = TestDatabases.fresh(postgres, "bench_serving");
            Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
            populate(database, today);
            AtomicBoolean live = new AtomicBoolean(true);
            AtomicLong liveTrades = new AtomicLong();
            Thread writer = new Thread(() -> writeLive(database, live, liveTrades), "bench-live-trades");
            if (LIVE_TRADES_PER_SECOND > 0) {
                writer.start();
            }
            try (ServingServer server = ServingServer.start(new ServingConfig(true, "127.0.0.1", 0, 256, true, ""), database, StatusSource.NONE,
                    AdminToken.resolve(Optional.of("bench"), scratch.directory("run")), request -> null, Clock.systemUTC());
                    ServingServer uncached = ServingServer.start(new ServingConfig(true, "127.0.0.1", 0, 256, false, ""), database, StatusSource.NONE,
                            AdminToken.resolve(Optional.of("bench"), scratch.directory("run-uncached")), request -> null, Clock.systemUTC());
                    HikariDataSource pool = pool(database)) {
                String base = "http://127.0.0.1:" + server.port();
                String baseUncached = "http://127.0.0.1:" + uncached.port();
                ServingQueries sql = new ServingQueries(pool);
                LocalDate day = LocalDate.ofInstant(today, ZoneOffset.UTC);
                String from = day.minusDays(29).toString();
                String to = day.toString();
                System.out.printf(Locale.ROOT, "%d symbols, a year of batch days and hours, a week of batch minutes, today's minutes in the speed layer; %,d trades/s committed live meanwhile%n",
                        SYMBOLS, LIVE_TRADES_PER_SECOND);
                SqlCall symbols = sql::symbolList;
                SqlCall daily = () -> sql.aggregates(Interval.DAY, "SYM007", Instant.parse(from + "T00:00:00Z"), today.plus(Duration.ofDays(1)));
                // What a BI tool sends: the views themselves, every column, no cache in front.
                SqlCall latestView = () -> rows(pool, "SELECT * FROM lambda.serving_latest");
                SqlCall dailyView = () -> rows(pool, "SELECT * FROM lambda.serving_daily WHERE symbol = 'SYM007' AND bucket >= '" + from + "T00:00:00Z'");
                // A whole day of minutes whatever the time of day: the last 24 hours, batch minutes before midnight and the speed layer's after.
                Instant dayAgo = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MINUTES);
                SqlCall minuteView = () -> rows(pool, "SELECT * FROM lambda.serving_minute WHERE symbol = 'SYM007' AND bucket >= '" + dayAgo + "'");
                SqlCall apiSymbols = () -> get(base + "/api/v1/symbols");
                SqlCall apiDaily = () -> get(base + "/api/v1/symbols/SYM007/daily?from=" + from + "&to=" + to);
                SqlCall uncachedSymbols = () -> get(baseUncached + "/api/v1/symbols");
                SqlCall uncachedDaily = () -> get(baseUncached + "/api/v1/symbols/SYM007/daily?from=" + from + "&to=" + to);
                // Warm-up: the JIT, the pools, PostgreSQL's plans.
                viaPool("warm-up", 500, 10, HTTP_THREADS, apiSymbols);
                viaPool("warm-up", 100, 10, HTTP_THREADS, uncachedSymbols);
                viaPool("warm-up", 100, 10, HTTP_THREADS, uncachedDaily);
                viaPool("warm-up", 20, 10, SQL_THREADS, daily);
                System.out.println("one call of each, alone: " + String.format(Locale.ROOT,
                        "serving_latest %.2f ms, 30-day serving_daily %.2f ms, a day of serving_minute %.2f ms", once(latestView), once(dailyView), once(minuteView)));
                System.out.println("the views as a BI tool reads them:");
                measure("SQL  SELECT * FROM serving_latest", BI_RATE, seconds, SQL_THREADS, latestView);
                measure("SQL  serving_daily, 30 days", BI_RATE, seconds, SQL_THREADS, dailyView);
                measure("SQL  serving_minute, last 24 h", BI_RATE, seconds, SQL_THREADS, minuteView);
                for (int rate : rates) {
                    // A rate the SQL cannot sustain leaves PostgreSQL busy a while: its runs go last, each followed by a pause.
                    measure("API, cache off: daily, 30 days", rate, seconds, HTTP_THREADS, uncachedDaily);
                    measure("API, cache off: /api/v1/symbols", rate, seconds, HTTP_THREADS, uncachedSymbols);
                    settle();
                    measure("API as shipped: /api/v1/symbols", rate, seconds, HTTP_THREADS, apiSymbols);
                    measure("API as shipped: daily, 30 days", rate, seconds, HTTP_THREADS, apiDaily);
                    measure("SQL  serving_daily, 30 days", rate, seconds, SQL_THREADS, daily);
                    settle();
                    measure("SQL  the API's symbol list", rate, seconds, SQL_THREADS, symbols);
                    settle();
                    System.out.printf(Locale.ROOT, "  heap after rate %,d: %,d MB used%n", rate, usedHeapMb());
                }
                System.out.printf(Locale.ROOT, "live trades committed during the run: %,d%n", liveTrades.get());
                if (PHASES.matcher("idle stream clients").find()) {
                    idleStreamClients(server, 1_000);
                }
                if (PHASES.matcher("dashboard first render").find()) {
                    dashboardFirstRender(base, scratch);
                }
            }
            finally {
                live.set(false);
                if (writer.isAlive()) {
                    writer.join();
                }
            }
        }
        System.exit(0);
    }

    /** A year of batch rows (days and hours) and a week of batch minutes per symbol before today, today's minutes up to now (and their rollups) in the speed layer. */
    private static void populate(PostgresConnection database, Instant today)
            throws Exception
    {
        String symbols = "SELECT 'SYM' || lpad(s::text, 3, '0') AS symbol, s FROM generate_series(1, " + SYMBOLS + ") s";
        String columns = "symbol, exchange, instrument, bucket, open, high, low, close, volume, trades, notional, vwap, first_ts, first_partition, first_offset, last_ts, last_partition, last_offset";
        String row = "sy.symbol, '', sy.symbol, b, 100 + s, 101 + s, 99 + s, 100.5 + s, 1000, 100, 1000 * (100 + s), 100 + s, b, 0, 0, b + interval '59 seconds', 0, 1";
        try (Connection connection = database.open(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO lambda.batch_daily (" + columns + ", date) SELECT " + row + ", (b AT TIME ZONE 'UTC')::date FROM (" + symbols
                    + ") sy CROSS JOIN generate_series(timestamptz '" + today + "' - interval '365 days', timestamptz '" + today + "' - interval '1 day', interval '1 day') b");
            statement.execute("INSERT INTO lambda.batch_hourly (" + columns + ") SELECT " + row + " FROM (" + symbols
                    + ") sy CROSS JOIN generate_series(timestamptz '" + today + "' - interval '365 days', timestamptz '" + today + "' - interval '1 hour', interval '1 hour') b");
            statement.execute("INSERT INTO lambda.batch_minute (" + columns + ") SELECT " + row + " FROM (" + symbols
                    + ") sy CROSS JOIN generate_series(timestamptz '" + today + "' - interval '7 days', timestamptz '" + today + "' - interval '1 minute', interval '1 minute') b");
            statement.execute("INSERT INTO lambda.speed_minute (symbol, bucket, open, high, low, close, volume, trades, notional, first_ts, first_partition, first_offset,"
                    + " last_ts, last_partition, last_offset) SELECT sy.symbol, b, 100 + s, 101 + s, 99 + s, 100.5 + s, 10, 5, 10 * (100 + s), b, 1, 0, b + interval '59 seconds', 1, 1"
                    + " FROM (" + symbols + ") sy CROSS JOIN generate_series(timestamptz '" + today + "', now() - interval '2 minutes', interval '1 minute') b");
            statement.execute("UPDATE lambda.cutoff SET cutoff_ts = '" + today + "'");
            // The speed layer's rollups of those minutes, as its commits would have left them.
            for (Map.Entry<String, String> rollup : Map.of("speed_hourly", "hour", "speed_daily", "day").entrySet()) {
                statement.execute("INSERT INTO lambda." + rollup.getKey() + " (symbol, bucket, " + AggregateColumns.sql(AggregateColumns.PARTIAL) + ")"
                        + " SELECT * FROM lambda.speed_minutes_rolled_up('" + rollup.getValue() + "', '" + today + "', 'infinity')");
            }
            statement.execute("ANALYZE");
            // As the last publish would have left the symbol list: the rows above were written around it.
            statement.execute("SELECT lambda.refresh_symbol_summaries(NULL)");
        }
    }

    /** Trades of every symbol through the real speed sink, a commit every 100 ms, as the speed layer writes them. */
    private static void writeLive(PostgresConnection database, AtomicBoolean live, AtomicLong written)
    {
        SpeedSink sink = new SpeedSink(database, "speed");
        long offset = 0;
        long batch = 0;
        int perCommit = LIVE_TRADES_PER_SECOND / 10;
        while (live.get()) {
            long started = System.nanoTime();
            List<KafkaTrade> trades = new ArrayList<>(perCommit);
            long now = System.currentTimeMillis();
            for (int i = 0; i < perCommit; i++) {
                String symbol = String.format(Locale.ROOT, "SYM%03d", 1 + (int) (offset % SYMBOLS));
                // A price as a feed sends it, a decimal to the cent: 100.37, not 100.37000000000001 (100 + 37 * 0.01).
                trades.add(new KafkaTrade(new Trade(symbol, (10_000 + offset % 97) / 100.0, 1, now, List.of(), "simulate", now), 2, offset++));
            }
            try {
                sink.write(batch++, trades);
                written.addAndGet(trades.size());
            }
            catch (Exception e) {
                throw new IllegalStateException("cannot write live trades: " + e.getMessage(), e);
            }
            LockSupport.parkNanos(Math.max(0, TimeUnit.MILLISECONDS.toNanos(100) - (System.nanoTime() - started)));
        }
    }

    /** Connections that read the stream and never send anything: what each costs the server's heap. */
    private static void idleStreamClients(ServingServer server, int count)
            throws Exception
    {
        long before = usedHeapAfterGcMb();
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket("127.0.0.1", server.port());
                OutputStream request = socket.getOutputStream();
                request.write("GET /api/v1/stream?symbols=SYM001 HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                request.flush();
                sockets.add(socket);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (server.streamClients() < count && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            long after = usedHeapAfterGcMb();
            System.out.printf(Locale.ROOT, "%,d idle stream clients connected (%,d registered): heap %,d MB -> %,d MB after GC, %.1f KB each%n",
                    count, server.streamClients(), before, after, (after - before) * 1024.0 / count);
        }
        finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Navigation to the symbol list of every symbol drawn and the selected symbol's candles drawn. */
    private static void dashboardFirstRender(String base, ScratchDirectory scratch)
            throws java.io.IOException
    {
        if (!new File("/usr/bin/chromedriver").exists()) {
            System.out.println("dashboard first render: skipped, no /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
            return;
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + scratch.directory("chromium"), "--window-size=1500,1000");
        ChromeDriver browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
        try {
            for (int run = 1; run <= 3; run++) {
                long start = System.nanoTime();
                browser.get(base + "/");
                while (browser.findElements(By.cssSelector("#symbol-table tbody tr")).size() < SYMBOLS) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
                long listed = System.nanoTime();
                while (((Number) browser.executeScript("const c = echarts.getInstanceByDom(document.getElementById('chart'));"
                        + " return c && c.getOption() && c.getOption().series ? c.getOption().series[0].data.length : 0;")).intValue() == 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
                long drawn = System.nanoTime();
                System.out.printf(Locale.ROOT, "dashboard first render (run %d, %d symbols): symbol list %d ms, candles drawn %d ms after navigation%n",
                        run, SYMBOLS, TimeUnit.NANOSECONDS.toMillis(listed - start), TimeUnit.NANOSECONDS.toMillis(drawn - start));
            }
        }
        finally {
            browser.quit();
        }
    }

    /**
     * One GET on a kept-alive connection of the calling thread (HttpURLConnection reuses it), its body read
     * into the thread's buffer: the load generator shares the JVM, and its garbage, with the server.
     */
    private static Object get(String url)
            throws java.io.IOException
    {
        java.net.HttpURLConnection connection = (java.net.HttpURLConnection) URI.create(url).toURL().openConnection();
        int status = connection.getResponseCode();
        byte[] buffer = READ_BUFFER.get();
        try (java.io.InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            while (body.read(buffer) >= 0) {
                // Read to the end, so that the connection is reused.
            }
        }
        if (status != 200) {
            throw new IllegalStateException(url + ": " + status);
        }
        return status;
    }

    /**
     * Calls at the rate through a fixed pool of threads, each blocking on its call, as a client with a
     * connection pool does; a call that waits for a thread counts that wait in its latency.
     */
    private static OpenLoad.Result viaPool(String name, int rate, int seconds, int poolSize, SqlCall call)
    {
        java.util.concurrent.ThreadPoolExecutor threads = (java.util.concurrent.ThreadPoolExecutor) Executors.newFixedThreadPool(poolSize);
        threads.prestartAllCoreThreads();
        try {
            return OpenLoad.run(name, rate, seconds, () -> CompletableFuture.runAsync(() -> call(call), threads));
        }
        finally {
            threads.shutdownNow();
        }
    }

    /**
     * The load for 3 s unrecorded, then measured: at the phase's rate every pooled connection takes
     * its part, and a PostgreSQL backend's first queries (its catalog caches, the view's plan) cost
     * milliseconds each; a pool warmed at a lower rate showed a 100 ms backlog in its first 250 ms.
     */
    private static void measure(String name, int rate, int seconds, int poolSize, SqlCall call)
    {
        if (PHASES.matcher(name).find()) {
            viaPool(name, rate, WARM_UP_SECONDS, poolSize, call);
            System.out.println(viaPool(name, rate, seconds, poolSize, call).describe());
        }
    }

    /** Every row of the query read, as a BI tool reads a result. */
    private static Object rows(HikariDataSource pool, String query)
            throws java.sql.SQLException
    {
        int rows = 0;
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                java.sql.ResultSet result = statement.executeQuery(query)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                // Each value as the text PostgreSQL sent, as Grafana's driver takes it: the view's cost, not the
                // Java driver's conversion of timestamps through a Calendar in the benchmark's own JVM.
                for (int i = 1; i <= columns; i++) {
                    result.getString(i);
                }
                rows++;
            }
        }
        return rows;
    }

    private static void settle()
    {
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(Integer.getInteger("settle", 5)));
    }

    private static double once(SqlCall call)
    {
        long start = System.nanoTime();
        call(call);
        return (System.nanoTime() - start) / 1e6;
    }

    private interface SqlCall
    {
        Object run()
                throws Exception;
    }

    private static void call(SqlCall call)
    {
        try {
            call.run();
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HikariDataSource pool(PostgresConnection database)
    {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.user());
        config.setMaximumPoolSize(8);
        config.setReadOnly(true);
        return new HikariDataSource(config);
    }

    private static long usedHeapMb()
    {
        Runtime runtime = Runtime.getRuntime();
        return (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
    }

    private static long usedHeapAfterGcMb()
    {
        System.gc();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        System.gc();
        return usedHeapMb();
    }
}
