package io.lambdatrades.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdatrades.common.DeadLetter;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.TradeValidator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Reads Finnhub's messages. A trade element becomes a {@link Trade} only when every field is there
 * with its type and it passes validation; otherwise the element's own JSON goes to the dead-letter
 * topic with the reason, and the other elements of the message are kept.
 */
public final class FinnhubFrameParser
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final TradeValidator validator;

    /**
     * @param source the trades' source field: finnhub or replay
     */
    public FinnhubFrameParser(String source, TradeValidator validator)
    {
        this.source = requireNonNull(source, "source is null");
        this.validator = requireNonNull(validator, "validator is null");
    }

    public FinnhubFrame parse(String text, long receivedAt)
    {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        }
        catch (JacksonException e) {
            return malformed(text, "malformed JSON" + location(e) + ": " + firstClause(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            return malformed(text, "not a JSON object");
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual()) {
            return malformed(text, "message without a type");
        }
        return switch (type.asText()) {
            case "trade" -> trades(root, text, receivedAt);
            case "ping" -> new FinnhubFrame.Ping();
            case "error" -> new FinnhubFrame.Error(root.path("msg").asText(""));
            default -> new FinnhubFrame.Unknown(type.asText());
        };
    }

    private static String location(JacksonException e)
    {
        return e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
    }

    /** Jackson's message on one line, without the source excerpt it may append. */
    private static String firstClause(String message)
    {
        int excerpt = message.indexOf(" (start marker at");
        return (excerpt < 0 ? message : message.substring(0, excerpt)).replaceAll("\\s+", " ").trim();
    }

    private FinnhubFrame trades(JsonNode root, String text, long receivedAt)
    {
        JsonNode data = root.get("data");
        if (data == null || !data.isArray()) {
            return malformed(text, "trade message without a data array");
        }
        List<Trade> trades = new ArrayList<>(data.size());
        List<DeadLetter> rejected = new ArrayList<>();
        for (JsonNode element : data) {
            TradeOrReason parsed = trade(element, receivedAt);
            Optional<String> violation = parsed.trade == null ? Optional.of(parsed.reason) : validator.violation(parsed.trade);
            if (violation.isEmpty()) {
                trades.add(parsed.trade);
            }
            else {
                rejected.add(new DeadLetter(element.toString().getBytes(StandardCharsets.UTF_8), violation.get(), source));
            }
        }
        return new FinnhubFrame.Trades(trades, rejected);
    }

    private TradeOrReason trade(JsonNode element, long receivedAt)
    {
        if (!element.isObject()) {
            return TradeOrReason.reason("trade is not a JSON object");
        }
        JsonNode symbol = element.get("s");
        JsonNode price = element.get("p");
        JsonNode time = element.get("t");
        JsonNode volume = element.get("v");
        if (symbol == null || !symbol.isTextual()) {
            return TradeOrReason.reason(symbol == null ? "symbol (s) is missing" : "symbol (s) is not a string");
        }
        if (price == null || !price.isNumber()) {
            return TradeOrReason.reason(price == null ? "price (p) is missing" : "price (p) is not a number");
        }
        if (time == null || !time.canConvertToExactIntegral() || !time.canConvertToLong()) {
            return TradeOrReason.reason(time == null ? "time (t) is missing" : "time (t) is not an integer of milliseconds");
        }
        if (volume == null || !volume.isNumber()) {
            return TradeOrReason.reason(volume == null ? "volume (v) is missing" : "volume (v) is not a number");
        }
        JsonNode conditions = element.get("c");
        List<String> conditionList = new ArrayList<>();
        if (conditions != null && !conditions.isNull()) {
            if (!conditions.isArray()) {
                return TradeOrReason.reason("conditions (c) is not an array");
            }
            for (JsonNode condition : conditions) {
                if (!condition.isValueNode() || condition.isNull()) {
                    return TradeOrReason.reason("conditions (c) holds something other than strings");
                }
                conditionList.add(condition.asText());
            }
        }
        return new TradeOrReason(new Trade(symbol.asText(), price.asDouble(), volume.asDouble(), time.asLong(), conditionList, source, receivedAt), null);
    }

    private FinnhubFrame malformed(String text, String reason)
    {
        return new FinnhubFrame.Malformed(new DeadLetter(text.getBytes(StandardCharsets.UTF_8), reason, source));
    }

    private record TradeOrReason(Trade trade, String reason)
    {
        static TradeOrReason reason(String reason)
        {
            return new TradeOrReason(null, reason);
        }
    }
}
