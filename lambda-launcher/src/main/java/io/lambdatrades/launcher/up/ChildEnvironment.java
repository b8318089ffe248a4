package io.lambdatrades.launcher.up;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.config.Setting;
import io.lambdatrades.common.config.Settings;
import io.lambdatrades.launcher.ParentWatch;

import java.util.HashMap;
import java.util.Map;

/** What a JVM started by another one needs in its environment: its parent to watch, and where Kafka and PostgreSQL are. */
public final class ChildEnvironment
{
    private ChildEnvironment() {}

    /** For a layer that needs Kafka only. */
    public static Map<String, String> of(long parentPid, String bootstrapServers)
    {
        return Map.of(ParentWatch.ENV, Long.toString(parentPid), Setting.envName(Settings.KAFKA_BOOTSTRAP_SERVERS.key()), bootstrapServers);
    }

    public static Map<String, String> of(long parentPid, String bootstrapServers, PostgresConnection postgres)
    {
        Map<String, String> environment = new HashMap<>(of(parentPid, bootstrapServers));
        environment.put(Setting.envName(Settings.POSTGRES_JDBC_URL.key()), postgres.jdbcUrl());
        environment.put(Setting.envName(Settings.POSTGRES_USER.key()), postgres.user());
        if (!postgres.password().isEmpty()) {
            environment.put(Setting.envName(Settings.POSTGRES_PASSWORD.key()), postgres.password());
        }
        return Map.copyOf(environment);
    }
}
