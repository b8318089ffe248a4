package io.lambdatrades.common.config;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * @param jdbcUrl an external server, or empty for the embedded one
 */
public record PostgresConfig(Optional<String> jdbcUrl, String user, String password, int port)
{
    public PostgresConfig
    {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
    }

    static PostgresConfig from(ConfigValues values)
    {
        String url = values.get(Settings.POSTGRES_JDBC_URL).trim();
        return new PostgresConfig(
                url.isEmpty() ? Optional.empty() : Optional.of(url),
                values.get(Settings.POSTGRES_USER),
                values.get(Settings.POSTGRES_PASSWORD),
                values.get(Settings.POSTGRES_PORT));
    }

    @Override
    public String toString()
    {
        return "PostgresConfig[jdbcUrl=" + jdbcUrl.map(u -> u.replaceAll("\\?.*", "")).orElse("embedded") + ", user=" + user + ", port=" + port + "]";
    }
}
