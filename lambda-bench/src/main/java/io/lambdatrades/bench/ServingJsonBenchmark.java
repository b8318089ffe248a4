package io.lambdatrades.bench;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.lambdatrades.serving.Freshness;
import io.lambdatrades.serving.ServingJson;
import io.lambdatrades.serving.SymbolList;
import io.lambdatrades.serving.SymbolSummary;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The CPU of one uncached {@code GET /api/v1/symbols} answer's JSON, 50 symbols with feed-like figures
 * (prices to the cent, sums of them, ratios, 24 hourly closes each), written by the serving layer's
 * mapper and, side by side in the same JVM, by Jackson with Schubfach's writer and with Java's
 * {@code Double.toString}. Rounds alternate so that the JIT and the machine treat each alike.
 * Usage: {@code ServingJsonBenchmark [rounds] [answers-per-round]}.
 */
public final class ServingJsonBenchmark
{
    private static final int SYMBOLS = 50;

    private ServingJsonBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int answers = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        SymbolList list = symbolList(new SplittableRandom(7));
        Map<String, ObjectMapper> writers = new LinkedHashMap<>();
        writers.put("serving layer (short decimals, then Schubfach)", ServingJson.mapper());
        writers.put("Jackson, Schubfach writer", JsonMapper.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build());
        writers.put("Jackson, Double.toString", JsonMapper.builder().build());
        Map<String, List<Double>> micros = new LinkedHashMap<>();
        writers.forEach((name, json) -> micros.put(name, new ArrayList<>()));
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, ObjectMapper> writer : writers.entrySet()) {
                long start = System.nanoTime();
                for (int i = 0; i < answers; i++) {
                    sink += writer.getValue().writeValueAsBytes(list).length;
                }
                micros.get(writer.getKey()).add((System.nanoTime() - start) / 1e3 / answers);
            }
        }
        System.out.printf(Locale.ROOT, "%d symbols, %,d bytes an answer; %d rounds of %,d answers each; the first two rounds are warm-up%n",
                SYMBOLS, writers.values().iterator().next().writeValueAsBytes(list).length, rounds, answers);
        micros.forEach((name, perAnswer) -> {
            List<Double> measured = perAnswer.subList(Math.min(2, perAnswer.size() - 1), perAnswer.size()).stream().sorted().toList();
            System.out.printf(Locale.ROOT, "%-48s median %7.1f us an answer (best %7.1f, worst %7.1f)%n",
                    name, measured.get(measured.size() / 2), measured.get(0), measured.get(measured.size() - 1));
        });
        // The answers' sizes are summed and printed so that no writing can be optimized away.
        System.out.printf(Locale.ROOT, "%,d MB written in all%n", sink / (1024 * 1024));
    }

    /** Figures as a feed's trades give them: prices to the cent, day sums, VWAPs and changes that are ratios. */
    private static SymbolList symbolList(SplittableRandom random)
    {
        List<SymbolSummary> symbols = new ArrayList<>();
        long now = Instant.parse("2026-12-07T10:00:00Z").toEpochMilli();
        for (int s = 0; s < SYMBOLS; s++) {
            double previousClose = cents(random, 10, 5_000);
            double price = cents(random, previousClose * 0.95, previousClose * 1.05);
            double volume = IntStream.range(0, 40).mapToDouble(i -> random.nextInt(1, 500)).sum();
            double notional = IntStream.range(0, 40).mapToDouble(i -> cents(random, price * 0.99, price * 1.01) * random.nextInt(1, 500)).sum();
            List<Double> closes = IntStream.range(0, 24).mapToObj(i -> cents(random, price * 0.98, price * 1.02)).toList();
            symbols.add(new SymbolSummary(String.format(Locale.ROOT, "SYM%03d", s), price, price - previousClose, (price - previousClose) / previousClose * 100,
                    previousClose, "2026-12-07", cents(random, price * 0.98, price * 1.02), price * 1.02, price * 0.98, volume, 40,
                    notional / volume, Instant.ofEpochMilli(now).toString(), now, closes));
        }
        return new SymbolList(symbols, new Freshness("2026-12-07T00:00:00Z", now - 36_000_000, "day", Instant.ofEpochMilli(now).toString(), now,
                Instant.ofEpochMilli(now).toString(), 25L, 40L, 0));
    }

    private static double cents(SplittableRandom random, double from, double to)
    {
        return Math.round(random.nextDouble(from, to) * 100) / 100.0;
    }
}
