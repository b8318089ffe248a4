package io.lambdatrades.serving;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The serving layer's one JSON configuration: the API, the live stream, the status and the errors. */
final class ServingJson
{
    private ServingJson() {}

    /**
     * Doubles written by Jackson's Schubfach writer: Java 17's {@code Double.toString} took a fifth of the
     * API's CPU under load (docs/benchmarks.md). It writes the shortest decimal that reads back as the same
     * double, as Java 19's {@code Double.toString} does.
     */
    static ObjectMapper mapper()
    {
        return JsonMapper.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
    }
}
