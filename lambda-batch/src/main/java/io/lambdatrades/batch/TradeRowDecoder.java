package io.lambdatrades.batch;

import io.lambdatrades.common.Trade;
import io.lambdatrades.common.TradeCodec;
import io.lambdatrades.common.TradeDecodingException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.time.LocalDate;
import java.util.Iterator;
import java.util.NoSuchElementException;

import static java.util.Objects.requireNonNull;

/**
 * Kafka records (value, partition, offset) to master dataset rows. Every record read is noted in
 * {@code read}, so that offsets Kafka no longer had show as gaps. A value that does not decode is
 * noted in {@code undecodable} and left out: the speed layer sends it to the dead-letter topic, the
 * batch layer must not send it twice.
 */
public final class TradeRowDecoder
        implements MapPartitionsFunction<Row, Row>
{
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private final OffsetCoverage read;
    private final OffsetCoverage undecodable;

    public TradeRowDecoder(OffsetCoverage read, OffsetCoverage undecodable)
    {
        this.read = requireNonNull(read, "read is null");
        this.undecodable = requireNonNull(undecodable, "undecodable is null");
    }

    @Override
    public Iterator<Row> call(Iterator<Row> records)
    {
        TradeCodec codec = new TradeCodec();
        return new Iterator<>()
        {
            private Row next = advance();

            private Row advance()
            {
                while (records.hasNext()) {
                    Row record = records.next();
                    int partition = record.getInt(1);
                    long offset = record.getLong(2);
                    read.add(partition, offset);
                    try {
                        return toRow(codec.decode(record.getAs(0)), partition, offset);
                    }
                    catch (TradeDecodingException e) {
                        undecodable.add(partition, offset);
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext()
            {
                return next != null;
            }

            @Override
            public Row next()
            {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Row row = next;
                next = advance();
                return row;
            }
        };
    }

    static Row toRow(Trade trade, int partition, long offset)
    {
        return RowFactory.create(
                trade.symbol(), trade.price(), trade.volume(), trade.ts(),
                trade.conditions().toArray(new String[0]),
                trade.source(), trade.ingestTs(), partition, offset, tradeDate(trade.ts()));
    }

    static String tradeDate(long epochMillis)
    {
        return LocalDate.ofEpochDay(Math.floorDiv(epochMillis, MILLIS_PER_DAY)).toString();
    }
}
