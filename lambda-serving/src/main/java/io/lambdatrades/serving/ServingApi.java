package io.lambdatrades.serving;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.javalin.http.Context;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/** The handlers of SPEC 7's read and write endpoints; every answer is JSON. */
final class ServingApi
{
    private static final ObjectMapper JSON = ServingJson.mapper();
    // Javalin finishes the response's stream itself (its compression's end).
    private static final ObjectWriter STREAMING_JSON = JSON.writer().without(StreamWriteFeature.AUTO_CLOSE_TARGET);
    private static final int DEFAULT_TRADES = 50;
    private static final int MAX_TRADES = 1_000;
    private static final int DEFAULT_RUNS = 50;
    private static final int MAX_RUNS = 1_000;
    private static final int DEFAULT_DAYS = 30;

    private final ServingQueries queries;
    private final ResponseCache cache;
    private final Supplier<JsonNode> status;
    private final AdminToken adminToken;
    private final BatchTrigger batchTrigger;
    private final Clock clock;

    ServingApi(ServingQueries queries, ResponseCache cache, Supplier<JsonNode> status, AdminToken adminToken, BatchTrigger batchTrigger, Clock clock)
    {
        this.queries = requireNonNull(queries, "queries is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.status = requireNonNull(status, "status is null");
        this.adminToken = requireNonNull(adminToken, "adminToken is null");
        this.batchTrigger = requireNonNull(batchTrigger, "batchTrigger is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    void symbols(Context ctx)
            throws Exception
    {
        answer(ctx, "symbols", queries::symbolList);
    }

    void freshness(Context ctx)
            throws Exception
    {
        answer(ctx, "freshness", queries::freshness);
    }

    /** Days from..to inclusive; the last 30 days by default. */
    void daily(Context ctx)
            throws Exception
    {
        String symbol = RequestParameters.symbol(ctx.pathParam("symbol"));
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate to = RequestParameters.date("to", ctx.queryParam("to"), today);
        LocalDate from = RequestParameters.date("from", ctx.queryParam("from"), to.minusDays(DEFAULT_DAYS - 1));
        if (from.isAfter(to)) {
            throw ApiException.badRequest("from", "must not be after 'to' (" + from + " > " + to + ")");
        }
        rows(ctx, symbol, Interval.DAY, from.atStartOfDay(ZoneOffset.UTC).toInstant(), to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** Hours starting in [from, to); the last 24 hours by default. */
    void hourly(Context ctx)
            throws Exception
    {
        String symbol = RequestParameters.symbol(ctx.pathParam("symbol"));
        Instant to = RequestParameters.time("to", ctx.queryParam("to"), clock.instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)));
        Instant from = RequestParameters.time("from", ctx.queryParam("from"), to.minus(Duration.ofHours(24)));
        rows(ctx, symbol, Interval.HOUR, from, to);
    }

    /** Candles of 1m (last 6 hours by default), 1h (last 7 days) or 1d (last 365 days), starting in [from, to). */
    void candles(Context ctx)
            throws Exception
    {
        String symbol = RequestParameters.symbol(ctx.pathParam("symbol"));
        String label = ctx.queryParam("interval");
        Interval interval = label == null || label.isBlank() ? Interval.MINUTE : Interval.parse(label.trim());
        Duration window = switch (interval) {
            case MINUTE -> Duration.ofHours(6);
            case HOUR -> Duration.ofDays(7);
            case DAY -> Duration.ofDays(365);
        };
        Instant end = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(interval.bucket());
        Instant to = RequestParameters.time("to", ctx.queryParam("to"), end);
        Instant from = RequestParameters.time("from", ctx.queryParam("from"), to.minus(window));
        rows(ctx, symbol, interval, from, to);
    }

    void trades(Context ctx)
            throws Exception
    {
        String symbol = RequestParameters.symbol(ctx.pathParam("symbol"));
        int limit = RequestParameters.limit(ctx.queryParam("limit"), DEFAULT_TRADES, MAX_TRADES);
        answer(ctx, "trades " + symbol + " " + limit, () -> {
            List<EnrichedTrade> trades = queries.latestTrades(symbol, limit);
            requireKnownWhenEmpty(symbol, trades);
            return Map.of("symbol", symbol, "trades", trades);
        });
    }

    void status(Context ctx)
            throws Exception
    {
        json(ctx, JSON.writeValueAsBytes(status.get()));
    }

    void batchRuns(Context ctx)
            throws Exception
    {
        int limit = RequestParameters.limit(ctx.queryParam("limit"), DEFAULT_RUNS, MAX_RUNS);
        json(ctx, JSON.writeValueAsBytes(Map.of("runs", queries.batchRuns(limit))));
    }

    void triggerBatchRun(Context ctx)
            throws Exception
    {
        if (!adminToken.authorizes(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiException.unauthorized("POST /api/v1/batch/runs needs 'Authorization: Bearer <admin token>' (LAMBDA_ADMIN_TOKEN or <data-dir>/admin-token)");
        }
        Map<String, Object> body = body(ctx);
        BatchRunRequest request = BatchRunRequest.parse(body, clock);
        BatchTrigger.Submitted submitted = batchTrigger.submit(request);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accepted", true);
        answer.put("run", submitted.description());
        answer.put("log", submitted.log());
        ctx.status(202);
        json(ctx, JSON.writeValueAsBytes(answer));
    }

    void ready(Context ctx)
            throws Exception
    {
        boolean ready = queries.ready();
        ctx.status(ready ? 200 : 503);
        json(ctx, JSON.writeValueAsBytes(Map.of("status", ready ? "ready" : "PostgreSQL does not answer")));
    }

    private void rows(Context ctx, String symbol, Interval interval, Instant from, Instant to)
            throws Exception
    {
        RequestParameters.range(from, to, interval.maxRange(), interval.label() + " buckets");
        String key = interval.label() + " " + symbol + " " + from + " " + to;
        answer(ctx, key, () -> {
            List<AggregateRow> rows = queries.aggregates(interval, symbol, from, to);
            requireKnownWhenEmpty(symbol, rows);
            return Map.of("symbol", symbol, "interval", interval.label(), "from", from.toString(), "to", to.toString(), "rows", rows);
        });
    }

    /**
     * An empty answer for a symbol the system has never seen is a 404, not an empty list. Asked only when
     * the answer is empty: a known symbol's query is not preceded by three existence probes.
     */
    private void requireKnownWhenEmpty(String symbol, List<?> answer)
            throws Exception
    {
        if (answer.isEmpty() && !queries.symbolExists(symbol)) {
            throw ApiException.notFound("symbol", "no trades of '" + symbol + "' in the batch or speed views (symbols are case-sensitive; URL-encode ':' as %3A)");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(Context ctx)
    {
        String text = ctx.body();
        if (text.isBlank()) {
            return Map.of();
        }
        try {
            Object parsed = JSON.readValue(text, Object.class);
            if (parsed instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
        }
        catch (java.io.IOException e) {
            // Said below.
        }
        throw ApiException.badRequest("body", "must be a JSON object such as {\"period\": \"2026-11-23\"} or {\"from\": \"2026-11-20\", \"to\": \"2026-11-22\"}");
    }

    /**
     * A read request's answer: the cache's encoding of it, or with the cache off the answer queried and
     * encoded straight into the response, without a whole copy in memory first (a fifth of the uncached
     * symbol list's garbage, docs/benchmarks.md).
     */
    private void answer(Context ctx, String key, Callable<Object> answer)
            throws Exception
    {
        if (cache.enabled()) {
            json(ctx, cache.get(key, () -> JSON.writeValueAsBytes(answer.call())));
            return;
        }
        Object value = answer.call();
        STREAMING_JSON.writeValue(ctx.contentType("application/json").outputStream(), value);
    }

    /**
     * Written to the response's stream (compressed as a result would be): a result is copied to it through
     * a new 8 KB buffer per response, the uncached API's largest garbage (docs/benchmarks.md).
     */
    static void json(Context ctx, byte[] bytes)
            throws IOException
    {
        ctx.contentType("application/json").outputStream().write(bytes);
    }

}
