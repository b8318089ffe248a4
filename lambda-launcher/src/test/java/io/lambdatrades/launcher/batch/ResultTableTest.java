package io.lambdatrades.launcher.batch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResultTableTest
{
    @Test
    void numbersArePlainDecimalsThatReadBackAsTheSameValue()
    {
        assertThat(ResultTable.cell(1.539883E7)).isEqualTo("15398830");
        assertThat(ResultTable.cell(267.2)).isEqualTo("267.2");
        assertThat(ResultTable.cell(1.0E-7)).isEqualTo("0.0000001");
        assertThat(ResultTable.cell(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(ResultTable.cell(1.17385f)).isEqualTo("1.17385");
        assertThat(ResultTable.cell(Double.NaN)).isEqualTo("NaN");
        assertThat(ResultTable.cell(null)).isEqualTo("NULL");
    }
}
