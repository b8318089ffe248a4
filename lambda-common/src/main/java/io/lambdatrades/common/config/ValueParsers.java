package io.lambdatrades.common.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parsers settings are declared with; each failure message says what a good value looks like. */
public final class ValueParsers
{
    private static final Pattern PERIOD = Pattern.compile("(\\d+)([mhd])");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private ValueParsers() {}

    public static ValueParser<String> string()
    {
        return text -> text;
    }

    public static ValueParser<String> nonEmptyString()
    {
        return text -> {
            if (text.isBlank()) {
                throw new IllegalArgumentException("must not be empty");
            }
            return text.trim();
        };
    }

    public static ValueParser<Integer> intAtLeast(int minimum)
    {
        return text -> {
            int value;
            try {
                value = Integer.parseInt(text.trim());
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be an integer >= " + minimum);
            }
            if (value < minimum) {
                throw new IllegalArgumentException("must be an integer >= " + minimum);
            }
            return value;
        };
    }

    /** A TCP port; 0 means "any free port". */
    public static ValueParser<Integer> port()
    {
        return text -> {
            int value;
            try {
                value = Integer.parseInt(text.trim());
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a port number from 0 (any free port) to 65535");
            }
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("must be a port number from 0 (any free port) to 65535");
            }
            return value;
        };
    }

    public static ValueParser<Boolean> bool()
    {
        return text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }

    public static ValueParser<Long> anyLong()
    {
        return text -> {
            try {
                return Long.parseLong(text.trim());
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be an integer");
            }
        };
    }

    public static ValueParser<Double> positiveDouble()
    {
        return text -> {
            double value;
            try {
                value = Double.parseDouble(text.trim());
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a number > 0");
            }
            if (!Double.isFinite(value) || value <= 0) {
                throw new IllegalArgumentException("must be a number > 0");
            }
            return value;
        };
    }

    public static ValueParser<String> oneOf(String... choices)
    {
        List<String> allowed = List.of(choices);
        return text -> {
            String value = text.trim().toLowerCase(Locale.ROOT);
            if (!allowed.contains(value)) {
                throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
            }
            return value;
        };
    }

    /** A comma-separated list; blanks around items are dropped, empty items refused. */
    public static ValueParser<List<String>> commaList()
    {
        return text -> {
            if (text.isBlank()) {
                return List.of();
            }
            List<String> items = Arrays.stream(text.split(",", -1)).map(String::trim).toList();
            if (items.contains("")) {
                throw new IllegalArgumentException("must be a comma-separated list without empty items");
            }
            return items;
        };
    }

    /** A WebSocket URL: ws:// or wss://. */
    public static ValueParser<URI> webSocketUrl()
    {
        return text -> {
            try {
                URI uri = new URI(text.trim());
                if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new IllegalArgumentException("must be a ws:// or wss:// URL");
                }
                return uri;
            }
            catch (URISyntaxException e) {
                throw new IllegalArgumentException("must be a ws:// or wss:// URL");
            }
        };
    }

    /** A replay speed: a factor > 0, or "max" for as fast as Kafka takes it (infinity). */
    public static ValueParser<Double> speed()
    {
        return text -> {
            if ("max".equalsIgnoreCase(text.trim())) {
                return Double.POSITIVE_INFINITY;
            }
            try {
                double value = Double.parseDouble(text.trim());
                if (Double.isFinite(value) && value > 0) {
                    return value;
                }
            }
            catch (NumberFormatException e) {
                // Reported below.
            }
            throw new IllegalArgumentException("must be a factor > 0 (1 is the original pace) or max");
        };
    }

    /** A path that may be empty (not set). */
    public static ValueParser<Optional<Path>> optionalPath()
    {
        return text -> text.isBlank() ? Optional.empty() : Optional.of(path().parse(text));
    }

    public static ValueParser<Path> path()
    {
        return text -> {
            if (text.isBlank()) {
                throw new IllegalArgumentException("must be a path");
            }
            try {
                return Path.of(text.trim());
            }
            catch (InvalidPathException e) {
                throw new IllegalArgumentException("must be a path (" + e.getReason() + ")");
            }
        };
    }

    /**
     * A file of Spark properties, {@code key value} or {@code key=value} a line as in spark-defaults.conf;
     * empty is none. {@code spark.master} has a setting of its own and is refused here.
     */
    public static ValueParser<Map<String, String>> sparkPropertiesFile()
    {
        return text -> {
            if (text.isBlank()) {
                return Map.of();
            }
            Path file = path().parse(text);
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
            catch (NoSuchFileException e) {
                throw new IllegalArgumentException("must be a readable file of Spark properties, and there is no such file");
            }
            catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("must be a readable file of Spark properties (" + e.getMessage() + ")");
            }
            Map<String, String> values = new TreeMap<>();
            for (String key : properties.stringPropertyNames()) {
                if (!key.startsWith("spark.")) {
                    throw new IllegalArgumentException("must hold Spark properties only, and '" + key + "' does not start with spark.");
                }
                if (key.equals("spark.master")) {
                    throw new IllegalArgumentException("must not set spark.master (that is the setting spark.master)");
                }
                values.put(key, properties.getProperty(key).trim());
            }
            return Collections.unmodifiableMap(values);
        };
    }

    /** A location for Hadoop's file systems: a local path, or a URI with a scheme (file:, hdfs:, s3a:); empty is not set. */
    public static ValueParser<Optional<String>> optionalLocation()
    {
        return text -> {
            String value = text.trim();
            if (value.isEmpty()) {
                return Optional.empty();
            }
            if (value.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                try {
                    URI uri = new URI(value);
                    return Optional.of(uri.toString());
                }
                catch (URISyntaxException e) {
                    throw new IllegalArgumentException("must be a path or a URI such as hdfs://namenode:8020/lambda (" + e.getReason() + ")");
                }
            }
            return Optional.of(location(path().parse(value)));
        };
    }

    /** A local path as a file: URI, without the trailing slash an existing directory would get. */
    public static String location(Path path)
    {
        String uri = path.toAbsolutePath().normalize().toUri().toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    /** A thrift:// URI, or empty for not set. */
    public static ValueParser<Optional<URI>> optionalThriftUri()
    {
        return text -> {
            if (text.isBlank()) {
                return Optional.empty();
            }
            try {
                URI uri = new URI(text.trim());
                if ("thrift".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0) {
                    return Optional.of(uri);
                }
            }
            catch (URISyntaxException e) {
                // Reported below.
            }
            throw new IllegalArgumentException("must be a thrift://host:port URI");
        };
    }

    /** A batch period: a whole number of minutes, hours or days (30m, 1h, 1d) that divides a day. */
    public static ValueParser<Duration> batchPeriod()
    {
        return text -> {
            Matcher matcher = PERIOD.matcher(text.trim().toLowerCase(Locale.ROOT));
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                Duration period = switch (matcher.group(2)) {
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
                if (period.equals(Duration.ofDays(1)) || !period.isZero() && Duration.ofDays(1).toMinutes() % period.toMinutes() == 0 && period.compareTo(Duration.ofDays(1)) < 0) {
                    return period;
                }
            }
            throw new IllegalArgumentException("must be a period that divides a day, such as 1d, 6h, 1h or 15m");
        };
    }

    /** A duration as a whole number and a unit: 500ms, 30s, 15m, 2h, 1d. */
    public static ValueParser<Duration> duration()
    {
        return text -> {
            Matcher matcher = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
            if (!matcher.matches()) {
                throw new IllegalArgumentException("must be a duration such as 500ms, 30s, 15m, 2h or 1d");
            }
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        };
    }

    /** Empty, or a cron expression of six fields (second minute hour day-of-month month day-of-week). */
    public static ValueParser<Optional<String>> optionalCron()
    {
        return text -> {
            String cron = text.trim();
            if (cron.isEmpty()) {
                return Optional.empty();
            }
            if (cron.split("\\s+").length != 6) {
                throw new IllegalArgumentException("must be a cron expression of six fields: second minute hour day-of-month month day-of-week, such as '0 30 0 * * *'");
            }
            return Optional.of(cron);
        };
    }
}
