package io.lambdatrades.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServingJsonTest
{
    private final ObjectMapper json = ServingJson.mapper();

    @Test
    void writesTheShortestDecimalThatReadsBackAsTheSameDouble()
            throws Exception
    {
        // Java 17's Double.toString writes 9.999999999999999E22 and 2.82879384806159008E17 for the first two.
        List<Double> values = List.of(1.0E23, 2.82879384806159E17, 267.2, 0.002, 1.0E-5, 0.1 + 0.2, 64_321.5, -3.25);

        String written = json.writeValueAsString(values);

        assertThat(written).isEqualTo("[1.0E23,2.82879384806159E17,267.2,0.002,1.0E-5,0.30000000000000004,64321.5,-3.25]");
        assertThat(json.readerForListOf(Double.class).<List<Double>>readValue(written)).isEqualTo(values);
    }
}
