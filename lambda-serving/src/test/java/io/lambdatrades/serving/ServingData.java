package io.lambdatrades.serving;

import io.lambdatrades.batch.ViewPublisher;
import io.lambdatrades.batch.ViewRows;
import io.lambdatrades.batch.ViewStore;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.Trade;
import io.lambdatrades.embedded.testing.ExpectedAggregates.SentTrade;
import io.lambdatrades.speed.KafkaTrade;
import io.lambdatrades.speed.SpeedSink;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Puts trades where the serving views read them, through the production code of both layers: the
 * real speed sink, and the batch layer's real publish ({@link ViewPublisher}: published offsets,
 * late-minute rebuild, lock order) of batch views computed here, straight from the absorbed trades,
 * with the absorb ledger saying how far in the topic those views reach.
 */
final class ServingData
{
    private static final String TOPIC = "trades";
    private static final long DAY = 86_400_000L;

    private final PostgresConnection database;
    private final SpeedSink sink;
    private long batchId;

    ServingData(PostgresConnection database)
    {
        this.database = requireNonNull(database, "database is null");
        this.sink = new SpeedSink(database, "speed");
    }

    /** As the speed layer commits them, in one transaction. */
    void speed(List<SentTrade> trades)
            throws SQLException
    {
        sink.write(batchId++, trades.stream().map(sent -> new KafkaTrade(sent.trade(), sent.partition(), sent.offset())).toList());
    }

    /**
     * As a batch run does it: {@code absorbed} (a prefix of each partition) is in the master dataset,
     * the views of its dates before {@code cutoff} are recomputed from it and published, with the cutoff.
     */
    void publish(List<SentTrade> absorbed, Instant cutoff)
            throws SQLException, IOException
    {
        List<SentTrade> before = absorbed.stream().filter(sent -> sent.trade().ts() < cutoff.toEpochMilli()).toList();
        Set<String> dates = before.stream().map(sent -> LocalDate.ofEpochDay(Math.floorDiv(sent.trade().ts(), DAY)).toString())
                .collect(Collectors.toCollection(TreeSet::new));
        absorb(absorbed);
        new ViewPublisher(database, TOPIC, () -> new TradeViews(before)).publish(dates, cutoff, Duration.ofDays(1));
    }

    /** The absorb ledger's record that the master dataset holds these trades: each partition's next offset past them. */
    private void absorb(List<SentTrade> absorbed)
            throws SQLException
    {
        Map<Integer, Long> next = absorbed.stream().collect(Collectors.toMap(SentTrade::partition, sent -> sent.offset() + 1, Math::max));
        try (Connection connection = database.open()) {
            long absorbId;
            try (PreparedStatement run = connection.prepareStatement(
                    "INSERT INTO lambda.absorb_runs (topic, staging_dir, trades, installed_at) VALUES (?, gen_random_uuid()::text, ?, now()) RETURNING absorb_id")) {
                run.setString(1, TOPIC);
                run.setLong(2, absorbed.size());
                try (ResultSet rows = run.executeQuery()) {
                    rows.next();
                    absorbId = rows.getLong(1);
                }
            }
            try (PreparedStatement offsets = connection.prepareStatement("""
                    INSERT INTO lambda.absorb_offsets AS o (topic, kafka_partition, next_offset, absorb_id) VALUES (?, ?, ?, ?)
                    ON CONFLICT (topic, kafka_partition) DO UPDATE SET next_offset = GREATEST(o.next_offset, EXCLUDED.next_offset), absorb_id = EXCLUDED.absorb_id""")) {
                for (Map.Entry<Integer, Long> partition : next.entrySet()) {
                    offsets.setString(1, TOPIC);
                    offsets.setInt(2, partition.getKey());
                    offsets.setLong(3, partition.getValue());
                    offsets.setLong(4, absorbId);
                    offsets.addBatch();
                }
                offsets.executeBatch();
            }
        }
    }

    static OffsetDateTime time(long epochMillis)
    {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

    /** The batch views of some trades, in the columns the publish asks for, as the Parquet views hold them. */
    private record TradeViews(List<SentTrade> trades)
            implements ViewRows
    {
        @Override
        public Iterator<Row> rows(ViewStore.View view, Set<String> tradeDates, List<String> columns)
        {
            List<Map<String, Object>> rows = switch (view) {
                case MINUTE -> aggregates(60_000L);
                case HOURLY -> aggregates(3_600_000L);
                case DAILY -> aggregates(DAY);
                case EXCHANGE_DAILY -> exchangeDaily();
            };
            return rows.stream()
                    .filter(row -> tradeDates.contains(row.get("trade_date")))
                    .map(row -> RowFactory.create(columns.stream().map(column -> {
                        if (!row.containsKey(column)) {
                            throw new IllegalArgumentException("no column " + column + " in the " + view + " view");
                        }
                        return row.get(column);
                    }).toArray()))
                    .iterator();
        }

        private List<Map<String, Object>> aggregates(long bucketMillis)
        {
            List<Map<String, Object>> rows = new ArrayList<>();
            KeyedAggregate.of(trades, bucketMillis).values().forEach(aggregate -> {
                Trade first = aggregate.first.trade();
                Map<String, Object> row = new TreeMap<>();
                row.put("symbol", aggregate.symbol);
                row.put("exchange", first.exchange());
                row.put("instrument", first.instrument());
                row.put("bucket", new Timestamp(aggregate.bucket));
                row.put("open", aggregate.open);
                row.put("high", aggregate.high);
                row.put("low", aggregate.low);
                row.put("close", aggregate.close);
                row.put("volume", aggregate.volume);
                row.put("trades", aggregate.trades);
                row.put("notional", aggregate.notional);
                row.put("vwap", aggregate.volume == 0 ? null : aggregate.notional / aggregate.volume);
                row.put("first_ts", new Timestamp(first.ts()));
                row.put("first_partition", aggregate.first.partition());
                row.put("first_offset", aggregate.first.offset());
                row.put("last_ts", new Timestamp(aggregate.last.trade().ts()));
                row.put("last_partition", aggregate.last.partition());
                row.put("last_offset", aggregate.last.offset());
                row.put("date", Date.valueOf(LocalDate.ofEpochDay(Math.floorDiv(aggregate.bucket, DAY))));
                row.put("trade_date", LocalDate.ofEpochDay(Math.floorDiv(aggregate.bucket, DAY)).toString());
                rows.add(row);
            });
            return rows;
        }

        private List<Map<String, Object>> exchangeDaily()
        {
            Map<String, List<SentTrade>> byExchangeDay = trades.stream().collect(Collectors.groupingBy(
                    sent -> sent.trade().exchange() + "@" + LocalDate.ofEpochDay(Math.floorDiv(sent.trade().ts(), DAY)), TreeMap::new, Collectors.toList()));
            List<Map<String, Object>> rows = new ArrayList<>();
            byExchangeDay.values().forEach(day -> {
                Trade any = day.get(0).trade();
                LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(any.ts(), DAY));
                Map<String, Object> row = new TreeMap<>();
                row.put("exchange", any.exchange());
                row.put("date", Date.valueOf(date));
                row.put("volume", day.stream().mapToDouble(sent -> sent.trade().volume()).sum());
                row.put("trades", (long) day.size());
                row.put("low", day.stream().mapToDouble(sent -> sent.trade().price()).min().orElseThrow());
                row.put("high", day.stream().mapToDouble(sent -> sent.trade().price()).max().orElseThrow());
                row.put("symbols", day.stream().map(sent -> sent.trade().symbol()).distinct().count());
                row.put("trade_date", date.toString());
                rows.add(row);
            });
            return rows;
        }
    }

    /** A batch row: the aggregate of a bucket with the keys of its first and last trade. */
    static final class KeyedAggregate
    {
        final String symbol;
        final long bucket;
        double open;
        double high = Double.NEGATIVE_INFINITY;
        double low = Double.POSITIVE_INFINITY;
        double close;
        double volume;
        long trades;
        double notional;
        SentTrade first;
        SentTrade last;

        private KeyedAggregate(String symbol, long bucket)
        {
            this.symbol = symbol;
            this.bucket = bucket;
        }

        static Map<String, KeyedAggregate> of(List<SentTrade> trades, long bucketMillis)
        {
            Map<String, KeyedAggregate> rows = new TreeMap<>();
            trades.stream().sorted(SentTrade.ORDER).forEach(sent -> {
                long bucket = Math.floorDiv(sent.trade().ts(), bucketMillis) * bucketMillis;
                KeyedAggregate row = rows.computeIfAbsent(sent.trade().symbol() + "@" + bucket, key -> new KeyedAggregate(sent.trade().symbol(), bucket));
                if (row.first == null) {
                    row.first = sent;
                    row.open = sent.trade().price();
                }
                row.last = sent;
                row.close = sent.trade().price();
                row.high = Math.max(row.high, sent.trade().price());
                row.low = Math.min(row.low, sent.trade().price());
                row.volume += sent.trade().volume();
                row.notional += sent.trade().price() * sent.trade().volume();
                row.trades++;
            });
            return rows;
        }
    }
}
