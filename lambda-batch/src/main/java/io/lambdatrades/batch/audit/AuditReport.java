package io.lambdatrades.batch.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The serving views against the trades, day by day and symbol by symbol, and the master dataset
 * against the absorb ledger.
 *
 * @param speedOffsets how far the speed layer had written
 * @param lag per partition, the trades Kafka held that the speed layer had not written when the wait ended
 * @param ledger the master dataset against the absorb ledger, when every day was audited
 * @param symbolList the API's symbol list ({@code symbol_summaries}) against the trades, when the scope covers it
 */
public record AuditReport(AuditScope scope, Instant cutoff, Map<Integer, Long> speedOffsets, List<DayResult> days, List<Difference> differences,
        Map<Integer, Long> lag, Optional<LedgerCheck> ledger, Optional<List<SymbolDifference>> symbolList)
{
    public AuditReport
    {
        requireNonNull(scope, "scope is null");
        requireNonNull(cutoff, "cutoff is null");
        requireNonNull(ledger, "ledger is null");
        symbolList = symbolList.map(List::copyOf);
        speedOffsets = Map.copyOf(speedOffsets);
        days = List.copyOf(days);
        differences = List.copyOf(differences);
        lag = Map.copyOf(lag);
    }

    /** The views and the symbol list equal the trades they hold, and the master dataset holds each absorbed trade once. */
    public boolean exact()
    {
        return differences.isEmpty() && ledger.map(LedgerCheck::clean).orElse(true) && symbolList.map(List::isEmpty).orElse(true);
    }

    /** Exact, and the speed layer had written every trade Kafka held. */
    public boolean passed()
    {
        return exact() && lag.isEmpty();
    }

    public long lagTrades()
    {
        return lag.values().stream().mapToLong(Long::longValue).sum();
    }

    static AuditReport compare(AuditScope scope, ServingSnapshot snapshot, List<BucketAggregate> fromTrades, List<SymbolFigures> symbolsFromTrades,
            Map<Integer, Long> lag, Optional<LedgerCheck> ledger)
    {
        Map<BucketAggregate.Key, BucketAggregate> views = byKey(snapshot.views());
        Map<BucketAggregate.Key, BucketAggregate> trades = byKey(fromTrades);
        Set<BucketAggregate.Key> keys = new HashSet<>(views.keySet());
        keys.addAll(trades.keySet());

        SortedMap<LocalDate, DayTally> tallies = new TreeMap<>();
        List<Difference> differences = new ArrayList<>();
        for (BucketAggregate.Key key : keys) {
            LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(key.bucketMs(), Grain.DAY.millis()));
            DayTally tally = tallies.computeIfAbsent(day, ignored -> new DayTally());
            tally.count(key);
            String what = describe(views.get(key), trades.get(key));
            if (!what.isEmpty()) {
                tally.differences++;
                differences.add(new Difference(key.grain(), key.symbol(), Instant.ofEpochMilli(key.bucketMs()), what, snapshot.lateTrades(key.symbol(), day)));
            }
        }
        // A day before its hours and its minutes.
        differences.sort(Comparator.comparing(Difference::bucket).thenComparing(Difference::grain, Comparator.reverseOrder()).thenComparing(Difference::symbol));
        List<DayResult> days = tallies.entrySet().stream().map(entry -> entry.getValue().result(entry.getKey(), snapshot)).toList();
        Optional<List<SymbolDifference>> symbolList = scope.coversSymbolList() ? Optional.of(compareSymbolList(snapshot, symbolsFromTrades)) : Optional.empty();
        return new AuditReport(scope, snapshot.cutoff(), snapshot.speedOffsets(), days, differences, lag, ledger, symbolList);
    }

    private static List<SymbolDifference> compareSymbolList(ServingSnapshot snapshot, List<SymbolFigures> fromTrades)
    {
        Map<String, SymbolFigures> kept = snapshot.summaries().stream().collect(Collectors.toMap(SymbolFigures::symbol, Function.identity()));
        Map<String, SymbolFigures> trades = fromTrades.stream().collect(Collectors.toMap(SymbolFigures::symbol, Function.identity()));
        SortedMap<String, String> differences = new TreeMap<>();
        trades.forEach((symbol, figures) -> {
            SymbolFigures row = kept.get(symbol);
            String what = row == null ? "missing from the symbol list" : String.join("; ", row.differencesFrom(figures));
            if (!what.isEmpty()) {
                differences.put(symbol, what);
            }
        });
        kept.keySet().stream().filter(symbol -> !trades.containsKey(symbol))
                .forEach(symbol -> differences.put(symbol, "in the symbol list but there are no such trades"));
        return differences.entrySet().stream()
                .map(entry -> new SymbolDifference(entry.getKey(), entry.getValue(), snapshot.lateTrades(entry.getKey())))
                .toList();
    }

    private static String describe(BucketAggregate views, BucketAggregate trades)
    {
        if (views == null) {
            return "missing from the views (" + trades.trades() + " trades)";
        }
        if (trades == null) {
            return "in the views (" + views.trades() + " trades) but there are no such trades";
        }
        return String.join("; ", views.differencesFrom(trades));
    }

    private static Map<BucketAggregate.Key, BucketAggregate> byKey(List<BucketAggregate> aggregates)
    {
        return aggregates.stream().collect(Collectors.toMap(BucketAggregate::key, Function.identity()));
    }

    private static final class DayTally
    {
        private final Set<String> symbols = new HashSet<>();
        private final Map<Grain, Integer> buckets = new EnumMap<>(Grain.class);
        private int differences;

        void count(BucketAggregate.Key key)
        {
            symbols.add(key.symbol());
            buckets.merge(key.grain(), 1, Integer::sum);
        }

        DayResult result(LocalDate day, ServingSnapshot snapshot)
        {
            long late = symbols.stream().mapToLong(symbol -> snapshot.lateTrades(symbol, day)).sum();
            return new DayResult(day, symbols.size(), new HashMap<>(buckets), differences, late);
        }
    }

    /**
     * @param buckets how many buckets of each grain were compared
     * @param lateTrades trades of the day the speed layer saw after its period was closed: the next batch run adds them to the views
     */
    public record DayResult(LocalDate day, int symbols, Map<Grain, Integer> buckets, int differences, long lateTrades)
    {
        public DayResult
        {
            buckets = Map.copyOf(buckets);
        }
    }

    /** @param lateTrades the symbol's late trades that day, which explain a difference until the next batch run */
    public record Difference(Grain grain, String symbol, Instant bucket, String what, long lateTrades) {}

    /** @param lateTrades the symbol's late trades on any day, which explain a difference until the next batch run */
    public record SymbolDifference(String symbol, String what, long lateTrades) {}
}
