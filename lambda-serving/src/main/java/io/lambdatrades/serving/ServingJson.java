package io.lambdatrades.serving;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

/** The serving layer's one JSON configuration: the API, the live stream, the status and the errors. */
public final class ServingJson
{
    private ServingJson() {}

    /**
     * Doubles written as the shortest decimal that reads back as the same double, as Java 19's
     * {@code Double.toString} does: short decimals directly, the others by Jackson's Schubfach writer (Java
     * 17's {@code Double.toString} took a fifth of the API's CPU under load, docs/benchmarks-history.md).
     */
    public static ObjectMapper mapper()
    {
        ShortDecimalSerializer doubles = new ShortDecimalSerializer();
        SimpleModule shortDecimals = new SimpleModule("short-decimals")
                .addSerializer(Double.class, doubles)
                .addSerializer(Double.TYPE, doubles);
        return JsonMapper.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).addModule(shortDecimals).build();
    }
}
