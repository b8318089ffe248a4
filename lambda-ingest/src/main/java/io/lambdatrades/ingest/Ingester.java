package io.lambdatrades.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdatrades.common.DeadLetter;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.TradeValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Runs one feed into Kafka: every trade is validated, valid ones go to the trade topic and the
 * others to the dead-letter topic with the reason. On return everything sent is in Kafka.
 */
public final class Ingester
{
    private static final Logger log = LoggerFactory.getLogger(Ingester.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TradeFeed feed;
    private final TradeValidator validator;
    private final TradeProducer producer;

    public Ingester(TradeFeed feed, TradeValidator validator, TradeProducer producer)
    {
        this.feed = requireNonNull(feed, "feed is null");
        this.validator = requireNonNull(validator, "validator is null");
        this.producer = requireNonNull(producer, "producer is null");
    }

    /** Runs until the feed ends or the thread is interrupted, then flushes; the interrupt flag is kept. */
    public void run()
    {
        log.info("Ingesting from {}", feed.name());
        try {
            feed.run(new Listener());
        }
        finally {
            Interrupts.runUninterrupted(producer::flush);
            log.info("Ingestion from {} stopped; every trade sent is in Kafka", feed.name());
        }
    }

    private final class Listener
            implements TradeListener
    {
        @Override
        public void onTrade(Trade trade)
        {
            Optional<String> violation = validator.violation(trade);
            if (violation.isEmpty()) {
                producer.send(trade);
            }
            else {
                producer.send(new DeadLetter(json(trade), violation.get(), trade.source()));
            }
        }

        @Override
        public void onDeadLetter(DeadLetter deadLetter)
        {
            producer.send(deadLetter);
        }
    }

    private static byte[] json(Trade trade)
    {
        try {
            return JSON.writeValueAsString(trade).getBytes(StandardCharsets.UTF_8);
        }
        catch (JsonProcessingException e) {
            return trade.toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
