package io.lambdatrades.ingest;

import io.lambdatrades.common.DeadLetter;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.TradeValidator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FinnhubFrameParserTest
{
    private static final long NOW = Instant.parse("2026-11-24T12:00:00Z").toEpochMilli();
    private final FinnhubFrameParser parser = new FinnhubFrameParser("finnhub", new TradeValidator(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC)));

    @Test
    void readsSeveralTradesOfOneMessageWithTheirConditions()
    {
        FinnhubFrame frame = parser.parse("""
                {"type":"trade","data":[
                  {"p":7296.89,"s":"BINANCE:BTCUSDT","t":1575526691134,"v":0.011467,"c":["1","12"]},
                  {"p":192.93,"s":"AAPL","t":1575526691134,"v":100,"c":null},
                  {"p":1.0834,"s":"OANDA:EUR_USD","t":1575526691135,"v":0}]}""", NOW);

        assertThat(frame).isEqualTo(new FinnhubFrame.Trades(List.of(
                new Trade("BINANCE:BTCUSDT", 7296.89, 0.011467, 1575526691134L, List.of("1", "12"), "finnhub", NOW),
                new Trade("AAPL", 192.93, 100, 1575526691134L, List.of(), "finnhub", NOW),
                new Trade("OANDA:EUR_USD", 1.0834, 0, 1575526691135L, List.of(), "finnhub", NOW)), List.of()));
    }

    @Test
    void absentConditionsAreEmptyAndNumericConditionsBecomeStrings()
    {
        FinnhubFrame.Trades frame = (FinnhubFrame.Trades) parser.parse("{\"type\":\"trade\",\"data\":[{\"p\":1,\"s\":\"X\",\"t\":1575526691134,\"v\":1},{\"p\":1,\"s\":\"Y\",\"t\":1575526691134,\"v\":1,\"c\":[12]}]}", NOW);

        assertThat(frame.trades()).extracting(Trade::conditions).containsExactly(List.of(), List.of("12"));
    }

    @Test
    void anInvalidElementIsDeadLetteredWithItsOwnJsonAndTheOthersKept()
    {
        FinnhubFrame.Trades frame = (FinnhubFrame.Trades) parser.parse("""
                {"type":"trade","data":[
                  {"p":-1,"s":"AAPL","t":1575526691134,"v":1},
                  {"s":"AAPL","t":1575526691134,"v":1},
                  {"p":"12","s":"AAPL","t":1575526691134,"v":1},
                  {"p":1,"s":"","t":1575526691134,"v":1},
                  {"p":1,"s":"AAPL","t":1575526691134.5,"v":1},
                  {"p":1,"s":"AAPL","t":1575526691134,"v":-2},
                  {"p":1,"s":"AAPL","t":1575526691134,"v":1,"c":"1"},
                  {"p":1,"s":"AAPL","t":1575526691134},
                  {"p":1,"t":1575526691134,"v":1},
                  "not an object",
                  {"p":5,"s":"AAPL","t":1575526691134,"v":1}]}""", NOW);

        assertThat(frame.trades()).extracting(Trade::price).containsExactly(5.0);
        assertThat(frame.rejected()).extracting(DeadLetter::reason).containsExactly(
                "price must be finite and > 0, was -1.0",
                "price (p) is missing",
                "price (p) is not a number",
                "symbol is empty",
                "time (t) is not an integer of milliseconds",
                "volume must be finite and >= 0, was -2.0",
                "conditions (c) is not an array",
                "volume (v) is missing",
                "symbol (s) is missing",
                "trade is not a JSON object");
        assertThat(new String(frame.rejected().get(0).raw(), StandardCharsets.UTF_8)).isEqualTo("{\"p\":-1,\"s\":\"AAPL\",\"t\":1575526691134,\"v\":1}");
        assertThat(frame.rejected()).extracting(DeadLetter::source).containsOnly("finnhub");
    }

    @Test
    void pingsErrorsAndUnknownTypesAreNotData()
    {
        assertThat(parser.parse("{\"type\":\"ping\"}", NOW)).isEqualTo(new FinnhubFrame.Ping());
        assertThat(parser.parse("{\"type\":\"news\",\"data\":[]}", NOW)).isEqualTo(new FinnhubFrame.Unknown("news"));
        FinnhubFrame.Error error = (FinnhubFrame.Error) parser.parse("{\"type\":\"error\",\"msg\":\"Subscribing to too many symbols\"}", NOW);
        assertThat(error.tooManySymbols()).isTrue();
        assertThat(error.refusesToken()).isFalse();
        assertThat(((FinnhubFrame.Error) parser.parse("{\"type\":\"error\",\"msg\":\"Invalid API key\"}", NOW)).refusesToken()).isTrue();
    }

    @Test
    void malformedMessagesAreDeadLetteredWhole()
    {
        assertThat(reason("{\"type\":\"trade\",\"data\":[{\"p\":1")).isEqualTo("malformed JSON at column 31: Unexpected end-of-input: expected close marker for Object");
        assertThat(reason("[1,2]")).isEqualTo("not a JSON object");
        assertThat(reason("{\"data\":[]}")).isEqualTo("message without a type");
        assertThat(reason("{\"type\":\"trade\",\"data\":{}}")).isEqualTo("trade message without a data array");
        FinnhubFrame.Malformed malformed = (FinnhubFrame.Malformed) parser.parse("{oops", NOW);
        assertThat(new String(malformed.deadLetter().raw(), StandardCharsets.UTF_8)).isEqualTo("{oops");
    }

    private String reason(String text)
    {
        return ((FinnhubFrame.Malformed) parser.parse(text, NOW)).deadLetter().reason();
    }
}
