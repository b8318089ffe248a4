package io.lambdatrades.embedded.testing;

import io.lambdatrades.common.Trade;
import io.lambdatrades.common.TradeCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Trades as a market gives them, and a producer that sends them as the ingester does (key = symbol). */
public final class TestTrades
{
    private static final List<String> SYMBOLS = List.of("AAPL", "BINANCE:BTCUSDT", "OANDA:EUR_USD", "MSFT");

    private TestTrades() {}

    /** Bursts of equal time, now and then a trade that arrives out of order, FX with volume 0. */
    public static List<Trade> bursty(Random random, int count, long startTs)
    {
        List<Trade> trades = new ArrayList<>(count);
        long ts = startTs;
        for (int i = 0; i < count; i++) {
            ts += random.nextInt(10) < 4 ? 0 : random.nextInt(200);
            long tradeTs = random.nextInt(20) == 0 ? ts - random.nextInt(5_000) : ts;
            String symbol = SYMBOLS.get(random.nextInt(SYMBOLS.size()));
            double volume = symbol.startsWith("OANDA") ? 0 : Math.round(random.nextDouble() * 10_000) / 100.0;
            trades.add(new Trade(symbol, Math.round((100 + random.nextGaussian()) * 100) / 100.0, volume, tradeTs, List.of(), "simulate", tradeTs));
        }
        return trades;
    }

    public static void produce(String bootstrapServers, String topic, List<Trade> trades)
    {
        TradeCodec codec = new TradeCodec();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Trade trade : trades) {
                producer.send(new ProducerRecord<>(topic, trade.symbol().getBytes(StandardCharsets.UTF_8), codec.encode(trade)));
            }
            producer.flush();
        }
    }
}
