package io.lambdatrades.common;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresErrorsTest
{
    @Test
    void connectionSerializationResourceAndShutdownErrorsAreRetried()
    {
        for (String state : new String[] {"08001", "08006", "40001", "40P01", "53100", "53300", "57P01", "57014"}) {
            assertThat(PostgresErrors.isTransient(new SQLException("x", state))).as(state).isTrue();
        }
        assertThat(PostgresErrors.isTransient(new SQLException("connection lost"))).isTrue();
    }

    @Test
    void dataIntegrityAndSyntaxErrorsAreNot()
    {
        for (String state : new String[] {"22003", "22P02", "23505", "23514", "42P01", "42601", "XX000"}) {
            assertThat(PostgresErrors.isTransient(new SQLException("x", state))).as(state).isFalse();
        }
    }
}
