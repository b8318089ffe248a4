package io.lambdatrades.common.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Where the speed query and the batch jobs run Spark, and what else Spark is told there.
 *
 * @param properties Spark properties from {@code spark.properties.file} (executor classpath and
 *         memory, s3a credentials, ...), applied over the system's own
 */
public record SparkConfig(String master, Map<String, String> properties)
{
    private static final Pattern LOCAL_THREADS = Pattern.compile("local\\[(\\d+)]");

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

    /** A local master given at least this many task threads ({@code local[2]} to {@code local[4]}); any other master as it is. */
    public SparkConfig withLocalThreads(int atLeast)
    {
        Matcher threads = LOCAL_THREADS.matcher(master);
        if (threads.matches() && Integer.parseInt(threads.group(1)) < atLeast) {
            return new SparkConfig("local[" + atLeast + "]", properties);
        }
        return this;
    }

    static SparkConfig from(ConfigValues values)
    {
        return new SparkConfig(values.get(Settings.SPARK_MASTER), values.get(Settings.SPARK_PROPERTIES_FILE));
    }
}
