package io.lambdatrades.ingest;

import io.lambdatrades.common.DeadLetter;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.TradeCodec;
import io.lambdatrades.common.TradeValidator;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.embedded.testing.KafkaTopics;
import io.lambdatrades.embedded.testing.SharedKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@ExtendWith(SharedKafka.class)
class IngesterIT
{
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void historyLandsInKafkaExactlyOnceInOrderPerSymbol(EmbeddedKafka kafka)
            throws Exception
    {
        String topic = "history-trades";
        createTopics(kafka, topic);
        List<SimulatedInstrument> instruments = SimulatedInstrument.of(List.of());

        runHistory(kafka, topic, new SimulatedFeed(11, instruments, 100, Duration.ofHours(1), 10, ResumePoint.EMPTY, CLOCK, phase -> stopAtLive(phase)));

        List<Trade> expected = new ArrayList<>();
        SimulatedMarket market = new SimulatedMarket(11 * 0x9E3779B97F4A7C15L ^ NOW.minus(Duration.ofHours(1)).toEpochMilli(),
                instruments, NOW.minus(Duration.ofHours(1)).toEpochMilli(), 10, CLOCK::millis);
        while (market.peekTs() < NOW.toEpochMilli()) {
            expected.add(market.next());
        }
        List<Trade> actual = readTrades(kafka, topic);

        assertThat(expected).hasSizeGreaterThan(30_000);
        assertThat(actual).hasSameSizeAs(expected);
        assertThat(bySymbol(actual)).isEqualTo(bySymbol(expected));
    }

    @Test
    void aRestartedMarketContinuesAfterTheLogWithoutRepeatingIt(EmbeddedKafka kafka)
            throws Exception
    {
        String topic = "resumed-trades";
        createTopics(kafka, topic);
        List<SimulatedInstrument> instruments = SimulatedInstrument.of(List.of("AAPL", "BINANCE:BTCUSDT", "OANDA:EUR_USD"));
        Clock earlier = Clock.offset(CLOCK, Duration.ofMinutes(-30));
        runHistory(kafka, topic, new SimulatedFeed(5, instruments, 100, Duration.ofHours(2), 5, ResumePoint.EMPTY, earlier, this::stopAtLive));
        List<Trade> first = readTrades(kafka, topic);

        ResumePoint resume = new TradeLogTail(kafka.bootstrapServers(), topic).read(Duration.ofSeconds(30));
        runHistory(kafka, topic, new SimulatedFeed(5, instruments, 100, Duration.ofHours(2), 5, resume, CLOCK, this::stopAtLive));
        List<Trade> all = readTrades(kafka, topic);

        long firstEnd = first.stream().mapToLong(Trade::ts).max().orElseThrow();
        assertThat(resume.lastTs()).isEqualTo(firstEnd);
        List<Trade> added = all.stream().filter(trade -> !first.contains(trade)).toList();
        assertThat(all).hasSizeGreaterThan(first.size());
        assertThat(added).allSatisfy(trade -> assertThat(trade.ts()).isGreaterThan(firstEnd).isLessThan(NOW.toEpochMilli()));
        // The second run starts each symbol from its last price in the log.
        Trade lastAapl = first.stream().filter(trade -> trade.symbol().equals("AAPL")).max(Comparator.comparingLong(Trade::ts)).orElseThrow();
        Trade nextAapl = added.stream().filter(trade -> trade.symbol().equals("AAPL")).findFirst().orElseThrow();
        assertThat(nextAapl.price()).isCloseTo(lastAapl.price(), within(lastAapl.price() * 0.05));
    }

    @Test
    void invalidTradesGoToTheDeadLetterTopicWithTheirReason(EmbeddedKafka kafka)
            throws Exception
    {
        String topic = "dlq-trades";
        createTopics(kafka, topic);
        long ts = NOW.toEpochMilli();
        TradeFeed feed = new TradeFeed()
        {
            @Override
            public String name()
            {
                return "replay";
            }

            @Override
            public void run(TradeListener listener)
            {
                listener.onTrade(new Trade("AAPL", 190.1, 10, ts, List.of(), "replay", ts));
                listener.onTrade(new Trade("AAPL", -3, 10, ts, List.of(), "replay", ts));
                listener.onDeadLetter(new DeadLetter("{not json".getBytes(StandardCharsets.UTF_8), "malformed JSON", "replay"));
                listener.onTrade(new Trade("", 1, 1, ts, List.of(), "replay", ts));
            }
        };
        IngestMetrics metrics = new IngestMetrics();
        try (TradeProducer producer = new TradeProducer(kafka.bootstrapServers(), topic, topic + ".dlq", metrics)) {
            new Ingester(feed, new TradeValidator(Clock.systemUTC()), producer).run();
        }

        assertThat(readTrades(kafka, topic)).extracting(Trade::price).containsExactly(190.1);
        List<DeadLetter> deadLetters = read(kafka, topic + ".dlq").stream().map(DeadLetter::fromConsumerRecord).toList();
        assertThat(deadLetters).extracting(DeadLetter::reason)
                .containsExactly("price must be finite and > 0, was -3.0", "malformed JSON", "symbol is empty");
        assertThat(deadLetters).extracting(DeadLetter::source).containsOnly("replay");
        assertThat(new String(deadLetters.get(1).raw(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(new String(deadLetters.get(0).raw(), StandardCharsets.UTF_8)).contains("\"price\":-3.0");
        assertThat(metrics.snapshot()).isEqualTo(new IngestMetrics.Snapshot(1, 1, 3, 0, ts, 0, 0, 0, 0, Long.MIN_VALUE, 0));
    }

    private void stopAtLive(SimulatedFeed.FeedPhase phase)
    {
        if (phase == SimulatedFeed.FeedPhase.LIVE) {
            Thread.currentThread().interrupt();
        }
    }

    private static void runHistory(EmbeddedKafka kafka, String topic, SimulatedFeed feed)
    {
        try (TradeProducer producer = new TradeProducer(kafka.bootstrapServers(), topic, topic + ".dlq", new IngestMetrics())) {
            new Ingester(feed, new TradeValidator(Clock.systemUTC()), producer).run();
        }
        assertThat(Thread.interrupted()).as("the feed stopped at the live phase").isTrue();
    }

    private static void createTopics(EmbeddedKafka kafka, String topic)
            throws InterruptedException
    {
        KafkaTopics.createTradeTopics(kafka, topic);
    }

    private static Map<String, List<Trade>> bySymbol(List<Trade> trades)
    {
        return trades.stream().map(IngesterIT::withoutIngestTime).collect(Collectors.groupingBy(Trade::symbol));
    }

    private static Trade withoutIngestTime(Trade trade)
    {
        return new Trade(trade.symbol(), trade.price(), trade.volume(), trade.ts(), trade.conditions(), trade.source(), 0);
    }

    private static List<Trade> readTrades(EmbeddedKafka kafka, String topic)
    {
        TradeCodec codec = new TradeCodec();
        return read(kafka, topic).stream().map(record -> {
            Trade trade = codec.decode(record.value());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(trade.symbol());
            return trade;
        }).toList();
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(EmbeddedKafka kafka, String topic)
    {
        return KafkaTopics.readAll(kafka.bootstrapServers(), topic);
    }
}
