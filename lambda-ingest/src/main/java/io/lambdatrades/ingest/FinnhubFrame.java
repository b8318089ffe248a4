package io.lambdatrades.ingest;

import io.lambdatrades.common.DeadLetter;
import io.lambdatrades.common.Trade;

import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/** One message of Finnhub's WebSocket protocol, parsed. */
public sealed interface FinnhubFrame
{
    /** {@code {"type":"trade","data":[...]}}: the valid trades, and each invalid element with its reason. */
    record Trades(List<Trade> trades, List<DeadLetter> rejected)
            implements FinnhubFrame
    {
        public Trades
        {
            trades = List.copyOf(requireNonNull(trades, "trades is null"));
            rejected = List.copyOf(requireNonNull(rejected, "rejected is null"));
        }
    }

    /** {@code {"type":"ping"}}: a heartbeat, never data. */
    record Ping()
            implements FinnhubFrame {}

    /** {@code {"type":"error","msg":"..."}}. */
    record Error(String message)
            implements FinnhubFrame
    {
        public Error
        {
            requireNonNull(message, "message is null");
        }

        /** Whether the server refused the key, rather than a request. */
        public boolean refusesToken()
        {
            String lower = message.toLowerCase(Locale.ROOT);
            return lower.contains("token") || lower.contains("api key") || lower.contains("apikey")
                    || lower.contains("unauthori") || lower.contains("invalid key") || lower.contains("forbidden");
        }

        public boolean tooManySymbols()
        {
            return message.toLowerCase(Locale.ROOT).contains("too many symbols");
        }
    }

    /** A message of a type this client does not know: counted and ignored. */
    record Unknown(String type)
            implements FinnhubFrame {}

    /** Not a Finnhub message at all (bad JSON, no type, data not an array). */
    record Malformed(DeadLetter deadLetter)
            implements FinnhubFrame {}
}
