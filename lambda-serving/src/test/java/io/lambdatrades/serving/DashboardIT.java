package io.lambdatrades.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.config.ServingConfig;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.ExpectedAggregates.SentTrade;
import io.lambdatrades.embedded.testing.SharedPostgres;
import io.lambdatrades.embedded.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in headless Chromium (Debian's chromium and chromium-driver): it lists the symbols, a
 * live price changes without a reload, selecting a symbol draws its candles, the pipeline page draws
 * the runs. Saves what it saw under target/screenshots (docs/screenshots.sh takes the documentation's from a real up).
 */
@ExtendWith(SharedPostgres.class)
class DashboardIT
{
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "NVDA", "BINANCE:BTCUSDT", "BINANCE:ETHUSDT", "OANDA:EUR_USD");
    private static final double[] PRICES = {231.5, 428.2, 138.7, 68_950, 3_620, 1.0512};

    @TempDir
    Path userDataDir;
    @TempDir
    Path dataDir;

    @Test
    void listsSymbolsUpdatesLivePricesDrawsCandlesAndThePipeline(EmbeddedPostgresServer postgres)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "dashboard");
        ServingData data = new ServingData(database);
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        Market market = new Market();
        List<SentTrade> history = market.trades(today.minus(Duration.ofDays(3)).toEpochMilli(), Instant.now().minusSeconds(30).toEpochMilli(), 20_000);
        for (int i = 0; i < history.size(); i += 5_000) {
            data.speed(history.subList(i, Math.min(history.size(), i + 5_000)));
        }
        // The batch has closed yesterday, as it has on a real morning: the trades table reads the speed layer's
        // trades since the cutoff, and a cutoff at today's midnight leaves too few of them in the first minutes of a day.
        data.publish(history, today.minus(Duration.ofDays(1)));
        recordRuns(database, today);

        try (ServingServer server = ServingServer.start(new ServingConfig(true, "127.0.0.1", 0, 256, true, ""), database, StatusSource.NONE,
                AdminToken.resolve(Optional.of("t"), dataDir), request -> null, Clock.systemUTC())) {
            ChromeDriver browser = browser();
            try {
                String base = "http://127.0.0.1:" + server.port();
                browser.get(base + "/");
                await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElements(By.cssSelector("#symbol-table tbody tr")).size() == SYMBOLS.size());
                await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElement(By.id("badge-live")).getText().equals("live"));
                JavascriptExecutor js = browser;
                js.executeScript("window.notReloaded = true;");

                // A trade far from the market price: the list shows it without a reload. It traded 90 s before
                // the ingester received it (a lagging feed): the speed badge must not count that lag.
                long now = System.currentTimeMillis();
                data.speed(List.of(new SentTrade(new Trade("MSFT", 444.44, 10, now - 90_000, List.of(), "simulate", now), 1, market.nextOffset(1))));
                By msftPrice = By.cssSelector("#symbol-table tr[data-symbol='MSFT'] .price");
                // The row is redrawn on each update: an element found just before a redraw goes stale.
                await().atMost(Duration.ofSeconds(15)).ignoreException(StaleElementReferenceException.class)
                        .until(() -> browser.findElement(msftPrice).getText().equals("444.44"));
                assertThat(js.executeScript("return window.notReloaded === true")).isEqualTo(true);

                // Each instrument in its market's decimals: a stock to the cent, FX to five places, crypto by its price.
                assertThat(cell(browser, "AAPL", ".price")).matches("\\d{3}\\.\\d{2}");
                assertThat(cell(browser, "AAPL", "td:nth-child(3)")).matches("[+-]\\d+\\.\\d{2}|–");
                assertThat(cell(browser, "OANDA:EUR_USD", ".price")).matches("\\d\\.\\d{5}");
                assertThat(cell(browser, "OANDA:EUR_USD", "td:nth-child(3)")).matches("[+-]\\d\\.\\d{5}|–");
                assertThat(cell(browser, "BINANCE:BTCUSDT", ".price")).matches("\\d{2},\\d{3}\\.\\d{2}");
                // The speed badge is the speed layer's delay at its last commit; the feed's silence has a badge of its own.
                assertThat(browser.findElement(By.id("badge-delay")).getText()).matches("speed \\d+ ms");
                assertThat(browser.findElement(By.id("badge-last")).getText()).matches("last trade .*|feed quiet \\d+ (s|min)");
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    JsonNode freshness = new ObjectMapper().readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/v1/symbols")).build(),
                            HttpResponse.BodyHandlers.ofString()).body()).path("freshness");
                    assertThat(freshness.path("speedDelayMs").asLong()).as("the speed layer's delay, from ingest_ts").isBetween(0L, 10_000L);
                });
                assertThat(browser.findElements(By.cssSelector("link[rel='icon']"))).hasSize(1);
                assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/favicon.svg")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).isEqualTo(200);

                browser.findElement(By.cssSelector("#symbol-table tr[data-symbol='BINANCE:BTCUSDT']")).click();
                await().atMost(Duration.ofSeconds(15)).until(() -> browser.findElement(By.id("detail-symbol")).getText().equals("BINANCE:BTCUSDT"));
                await().atMost(Duration.ofSeconds(15)).until(() -> ((Number) js.executeScript(
                        "const o = echarts.getInstanceByDom(document.getElementById('chart')).getOption(); return o.series[0].data.length;")).intValue() > 100);
                // The chart, the daily table and the trades table are fetched apart: each is awaited.
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    assertThat(browser.findElements(By.cssSelector("#daily-table tbody tr"))).hasSize(4);
                    assertThat(browser.findElement(By.cssSelector("#daily-table tbody tr:first-child td:last-child")).getText()).isEqualTo("speed");
                    assertThat(browser.findElement(By.cssSelector("#daily-table tbody tr:last-child td:last-child")).getText()).isEqualTo("batch");
                    assertThat(browser.findElements(By.cssSelector("#trades-table tbody tr"))).hasSize(50);
                });
                screenshot(browser, "dashboard.png");

                // No column cut off, on a desktop's screen or a laptop's.
                for (Dimension size : List.of(new Dimension(1600, 1000), new Dimension(1280, 800))) {
                    browser.manage().window().setSize(size);
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(js.executeScript("""
                            return [...document.querySelectorAll('#page-market table')]
                                .filter(t => t.getBoundingClientRect().right > t.parentElement.getBoundingClientRect().right + 1
                                    || t.scrollWidth > t.parentElement.clientWidth + 1)
                                .map(t => t.id + ' ' + t.scrollWidth + ' > ' + t.parentElement.clientWidth);""")).as("tables cut at %s", size).asList().isEmpty());
                }
                browser.manage().window().setSize(new Dimension(1500, 1000));

                // The selection is in the address: a link opens the same symbol and interval.
                browser.findElement(By.cssSelector(".intervals button[data-interval='1h']")).click();
                await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().endsWith("?symbol=BINANCE%3ABTCUSDT&interval=1h"));
                browser.get(base + "/?symbol=OANDA%3AEUR_USD&interval=1d");
                await().atMost(Duration.ofSeconds(15)).until(() -> browser.findElement(By.id("detail-symbol")).getText().equals("OANDA:EUR_USD"));
                assertThat(browser.findElement(By.cssSelector(".intervals button.active")).getText()).isEqualTo("1d");
                await().atMost(Duration.ofSeconds(15)).until(() -> ((Number) js.executeScript(
                        "const o = echarts.getInstanceByDom(document.getElementById('chart')).getOption(); return o.series[0].data.length;")).intValue() == 4);

                // A symbol's live trades join its own trades, never the previous symbol's: its fetch is held until that is seen.
                js.executeScript("""
                        const original = window.fetch;
                        window.fetch = (url, ...rest) => String(url).includes('/symbols/MSFT/trades')
                            ? new Promise(resolve => window.releaseTrades = resolve).then(() => original(url, ...rest)) : original(url, ...rest);""");
                browser.findElement(By.cssSelector("#symbol-table tr[data-symbol='MSFT']")).click();
                long live = System.currentTimeMillis();
                data.speed(List.of(new SentTrade(new Trade("MSFT", 401.23, 5, live, List.of(), "simulate", live), 1, market.nextOffset(1))));
                await().atMost(Duration.ofSeconds(15)).ignoreException(StaleElementReferenceException.class)
                        .until(() -> cell(browser, "MSFT", ".price").equals("401.23"));
                assertThat(browser.findElements(By.cssSelector("#trades-table tbody tr"))).as("trades shown before MSFT's arrived").isEmpty();
                js.executeScript("window.releaseTrades()");
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    assertThat(browser.findElements(By.cssSelector("#trades-table tbody tr"))).hasSize(50);
                    assertThat(browser.findElement(By.cssSelector("#trades-table tbody tr:first-child td:nth-child(2)")).getText()).isEqualTo("401.23");
                });

                browser.findElement(By.id("tab-pipeline")).click();
                await().atMost(Duration.ofSeconds(15)).until(() -> browser.findElements(By.cssSelector("#runs-table tbody tr")).size() == 4);
                assertThat(browser.findElements(By.cssSelector("#grid .cell.success"))).hasSize(4 + 3 * 4 - 2);
                assertThat(browser.findElements(By.cssSelector("#grid .cell.failed"))).hasSize(2);
                assertThat(browser.findElement(By.cssSelector("#runs-table td.error")).getText()).contains("PostgreSQL at 127.0.0.1 refused");
                screenshot(browser, "pipeline.png");
            }
            finally {
                browser.quit();
            }
        }
    }

    private ChromeDriver browser()
    {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + userDataDir, "--window-size=1500,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1500, 1000));
        return driver;
    }

    private static String cell(ChromeDriver browser, String symbol, String selector)
    {
        return await().atMost(Duration.ofSeconds(10)).ignoreException(StaleElementReferenceException.class)
                .until(() -> browser.findElement(By.cssSelector("#symbol-table tr[data-symbol='" + symbol + "'] " + selector)).getText(), text -> !text.isEmpty());
    }

    private static void screenshot(ChromeDriver browser, String name)
            throws Exception
    {
        Path directory = Path.of("target", "screenshots");
        Files.createDirectories(directory);
        Path file = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, directory.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Three closed days: two runs that succeeded, one whose publish failed twice then passed, one failed. */
    private static void recordRuns(PostgresConnection database, Instant today)
            throws Exception
    {
        try (Connection connection = database.open(); Statement statement = connection.createStatement()) {
            for (int day = 3; day >= 0; day--) {
                Instant start = today.minus(Duration.ofDays(day + 1));
                String state = day == 0 ? "failed" : "success";
                String error = day == 0 ? "'cannot publish: PostgreSQL at 127.0.0.1 refused the connection'" : "NULL";
                statement.execute("INSERT INTO lambda.batch_runs (period_start, period_end, trigger, state, queued_at, started_at, ended_at, attempts, error) VALUES ('"
                        + start + "', '" + start.plus(Duration.ofDays(1)) + "', 'schedule', '" + state + "', '" + start.plus(Duration.ofDays(1)) + "', '"
                        + start.plus(Duration.ofDays(1)) + "', '" + start.plus(Duration.ofDays(1)).plusSeconds(31) + "', " + (day == 0 ? 3 : 1) + ", " + error + ")");
                for (String task : List.of("absorb", "views", "publish")) {
                    boolean failed = day == 0 && task.equals("publish");
                    statement.execute("INSERT INTO lambda.batch_task_runs (run_id, task, state, started_at, ended_at, attempts, error) SELECT max(run_id), '" + task
                            + "', '" + (failed ? "failed" : "success") + "', now(), now() + interval '9 seconds', " + (failed ? 3 : 1) + ", "
                            + (failed ? error : "NULL") + " FROM lambda.batch_runs");
                }
            }
        }
    }

    /** A random-walk market of the symbols above. */
    private static final class Market
    {
        private final Random random = new Random(42);
        private final double[] prices = PRICES.clone();
        private final Map<Integer, Long> offsets = new HashMap<>();

        List<SentTrade> trades(long from, long to, int count)
        {
            List<SentTrade> trades = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int symbol = random.nextInt(SYMBOLS.size());
                prices[symbol] *= Math.exp(random.nextGaussian() * 0.002);
                double price = Math.round(prices[symbol] * (prices[symbol] < 10 ? 100_000 : 100)) / (prices[symbol] < 10 ? 100_000.0 : 100.0);
                long ts = from + (to - from) * i / count;
                String name = SYMBOLS.get(symbol);
                double volume = name.startsWith("OANDA") ? 0 : 1 + random.nextInt(200);
                int partition = symbol % 3;
                trades.add(new SentTrade(new Trade(name, price, volume, ts, List.of(), "simulate", ts), partition, nextOffset(partition)));
            }
            return trades;
        }

        long nextOffset(int partition)
        {
            return offsets.merge(partition, 1L, Long::sum) - 1;
        }
    }
}
