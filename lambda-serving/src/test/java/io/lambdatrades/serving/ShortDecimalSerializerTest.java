package io.lambdatrades.serving;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The serving layer's doubles against Jackson's own Schubfach writer: the same text for every double. */
class ShortDecimalSerializerTest
{
    private final ObjectMapper serving = ServingJson.mapper();
    private final ObjectMapper jackson = JsonMapper.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    @Property(tries = 20_000)
    void writesWhatJacksonWrites(@ForAll("doubles") double value)
            throws Exception
    {
        AggregateRow row = new AggregateRow("AAPL", "2026-12-07T00:00:00Z", 0, "2026-12-07", value, value, value, value, value, 1, value, value, "speed");

        assertThat(serving.writeValueAsString(List.of(value))).isEqualTo(jackson.writeValueAsString(List.of(value)));
        assertThat(serving.writeValueAsString(row)).isEqualTo(jackson.writeValueAsString(row));
    }

    /** Prices and figures as feeds and sums give them, the edges of the short form's range, and any double. */
    @Provide
    Arbitrary<Double> doubles()
    {
        Arbitrary<Double> cents = Arbitraries.longs().between(-1_000_000_000L, 1_000_000_000L).map(units -> units / 100.0);
        Arbitrary<Double> decimals = Arbitraries.integers().between(0, 8).flatMap(digits -> Arbitraries.longs().between(-100_000_000_000L, 100_000_000_000L)
                .map(units -> units / Math.pow(10, digits)));
        Arbitrary<Double> sums = Arbitraries.doubles().between(0.01, 1e7).ofScale(2).list().ofMinSize(1).ofMaxSize(50)
                .map(terms -> terms.stream().mapToDouble(Double::doubleValue).sum());
        Arbitrary<Double> ratios = Arbitraries.doubles().between(-1e4, 1e4).ofScale(2).map(change -> change / 267.2 * 100);
        Arbitrary<Double> edges = Arbitraries.of(0.001, Math.nextDown(0.001), 9_999_999.999999, 1e7, Math.nextDown(1e7), 1e-3 * 3, 0.0, -0.0, 0.1 + 0.2,
                Double.MIN_VALUE, Double.MAX_VALUE, 123_456.000001, 5e-324, 1.0, -1.0);
        Arbitrary<Double> any = Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite);
        return Arbitraries.oneOf(cents, decimals, sums, ratios, edges, any);
    }
}
