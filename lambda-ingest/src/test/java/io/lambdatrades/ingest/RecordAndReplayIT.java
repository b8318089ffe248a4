package io.lambdatrades.ingest;

import io.lambdatrades.common.DeadLetter;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.TradeValidator;
import io.lambdatrades.common.config.FinnhubConfig;
import io.lambdatrades.ingest.testing.FinnhubProtocolServer;
import io.lambdatrades.ingest.testing.FinnhubProtocolServer.TokenRefusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RecordAndReplayIT
{
    private static final String TOKEN = "record-token-77";
    private static final List<String> SYMBOLS = List.of("AAPL", "BINANCE:ETHUSDT");
    private static final String FIRST = "{\"type\":\"trade\",\"data\":[{\"p\":190.5,\"s\":\"AAPL\",\"t\":1700000000000,\"v\":10,\"c\":[\"1\"]}]}";
    private static final String SECOND = "{\"type\":\"trade\",\"data\":[{\"p\":3400.1,\"s\":\"BINANCE:ETHUSDT\",\"t\":1700000000100,\"v\":0.5,\"c\":null},{\"p\":-1,\"s\":\"AAPL\",\"t\":1700000000100,\"v\":1}]}";

    @TempDir
    Path dir;

    @Test
    void aRecordingReplaysToTheSameTradesAndDeadLetters()
            throws Exception
    {
        Path recording = dir.resolve("feed.ndjson");
        IngestMetrics metrics = new IngestMetrics();
        try (FinnhubProtocolServer server = FinnhubProtocolServer.start(TOKEN, 50, TokenRefusal.HTTP_401)) {
            FinnhubConnection connection = new FinnhubConnection(new FinnhubConfig(server.url(), Optional.empty(), 50, Duration.ofMinutes(5)),
                    FinnhubToken.of(TOKEN), SYMBOLS, 100, metrics, Clock.systemUTC());
            FrameRecorder recorder = new FrameRecorder(connection, parser("finnhub"), recording, metrics);
            Thread thread = new Thread(recorder::run);
            thread.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> !server.connections().isEmpty() && server.current().subscriptions().equals(SYMBOLS));
            server.current().send(FIRST);
            server.current().send("{\"type\":\"ping\"}");
            server.current().send(SECOND);
            await().atMost(Duration.ofSeconds(30)).until(() -> metrics.snapshot().frames() == 3);
            thread.interrupt();
            thread.join(30_000);
        }

        List<String> lines = Files.readAllLines(recording);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("{\"received_at\":").contains("\"frame\":");
        assertThat(RecordedFrame.parse(lines.get(2)).frame()).isEqualTo(SECOND);
        assertThat(Files.readString(recording)).doesNotContain(TOKEN);

        Collected replayed = replay(recording, Double.POSITIVE_INFINITY);
        assertThat(replayed.trades).extracting(Trade::symbol, Trade::price, Trade::ts, Trade::source).containsExactly(
                org.assertj.core.groups.Tuple.tuple("AAPL", 190.5, 1700000000000L, "replay"),
                org.assertj.core.groups.Tuple.tuple("BINANCE:ETHUSDT", 3400.1, 1700000000100L, "replay"));
        assertThat(replayed.deadLetters).extracting(DeadLetter::reason).containsExactly("price must be finite and > 0, was -1.0");
    }

    @Test
    void replayKeepsTheRecordedPaceOrAMultipleOfIt()
            throws Exception
    {
        Path recording = Files.write(dir.resolve("paced.ndjson"), List.of(
                new RecordedFrame(FIRST, java.util.OptionalLong.empty()).toJsonLine(1_000_000),
                new RecordedFrame(SECOND, java.util.OptionalLong.empty()).toJsonLine(1_001_000),
                new RecordedFrame(FIRST, java.util.OptionalLong.empty()).toJsonLine(1_002_000)));

        long tenTimes = timed(() -> replay(recording, 10));
        long max = timed(() -> replay(recording, Double.POSITIVE_INFINITY));

        // Two recorded seconds at ten times the pace take at least 200 ms; unpaced, far less.
        assertThat(tenTimes).isGreaterThanOrEqualTo(195);
        assertThat(max).isLessThan(tenTimes);
    }

    @Test
    void bareFinnhubMessagesOneALineReplayTooAndGarbageIsDeadLettered()
            throws Exception
    {
        Path capture = Files.write(dir.resolve("seed.txt"), List.of(FIRST, "", "not json at all", SECOND));

        Collected replayed = replay(capture, 1_000);

        assertThat(replayed.trades).extracting(Trade::symbol).containsExactly("AAPL", "BINANCE:ETHUSDT");
        assertThat(replayed.deadLetters).extracting(DeadLetter::reason)
                .containsExactly("malformed JSON at column 1: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", "price must be finite and > 0, was -1.0");
    }

    private static Collected replay(Path recording, double speed)
    {
        Collected collected = new Collected();
        new ReplayFeed(recording, speed, parser("replay"), new IngestMetrics(), Clock.systemUTC()).run(collected);
        return collected;
    }

    private static long timed(Runnable action)
    {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static FinnhubFrameParser parser(String source)
    {
        return new FinnhubFrameParser(source, new TradeValidator(Clock.systemUTC()));
    }

    private static final class Collected
            implements TradeListener
    {
        private final List<Trade> trades = new ArrayList<>();
        private final List<DeadLetter> deadLetters = new ArrayList<>();

        @Override
        public void onTrade(Trade trade)
        {
            trades.add(trade);
        }

        @Override
        public void onDeadLetter(DeadLetter deadLetter)
        {
            deadLetters.add(deadLetter);
        }
    }
}
