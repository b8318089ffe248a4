package io.lambdatrades.common.config;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Where the speed query and the batch jobs run Spark, and what else Spark is told there.
 *
 * @param properties Spark properties from {@code spark.properties.file} (executor classpath and
 *         memory, s3a credentials, ...), applied over the system's own
 */
public record SparkConfig(String master, Map<String, String> properties)
{
    public SparkConfig
    {
        requireNonNull(master, "master is null");
        properties = Map.copyOf(requireNonNull(properties, "properties is null"));
    }

    public static SparkConfig local(int threads)
    {
        return new SparkConfig("local[" + threads + "]", Map.of());
    }

    public boolean isLocal()
    {
        return master.startsWith("local");
    }

    static SparkConfig from(ConfigValues values)
    {
        return new SparkConfig(values.get(Settings.SPARK_MASTER), values.get(Settings.SPARK_PROPERTIES_FILE));
    }
}
