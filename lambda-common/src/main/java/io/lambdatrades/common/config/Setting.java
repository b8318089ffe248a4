package io.lambdatrades.common.config;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * One configuration key, declared once: its name, default, description and parser.
 *
 * @param defaultValue the default in its textual form; "" where empty means "not set"
 * @param secret a secret's value is never printed
 */
public record Setting<T>(String key, String defaultValue, String description, ValueParser<T> parser, boolean secret)
{
    public static final String ENV_PREFIX = "LAMBDA_";

    public Setting
    {
        requireNonNull(key, "key is null");
        requireNonNull(defaultValue, "defaultValue is null");
        requireNonNull(description, "description is null");
        requireNonNull(parser, "parser is null");
    }

    public static <T> Setting<T> of(String key, String defaultValue, String description, ValueParser<T> parser)
    {
        return new Setting<>(key, defaultValue, description, parser, false);
    }

    public static <T> Setting<T> secret(String key, String description, ValueParser<T> parser)
    {
        return new Setting<>(key, "", description, parser, true);
    }

    /** The environment variable that overrides it: {@code kafka.topic} is {@code LAMBDA_KAFKA_TOPIC}. */
    public String envName()
    {
        return envName(key);
    }

    public static String envName(String key)
    {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }
}
