package io.lambdatrades.common.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Resolves every setting from, in rising precedence: its default, the YAML file, the
 * {@code LAMBDA_...} environment, the command line. Every problem is collected and reported together.
 */
public final class ConfigLoader
{
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, Setting<?>> settings;

    public ConfigLoader(List<Setting<?>> settings)
    {
        this.settings = settings.stream().collect(Collectors.toMap(Setting::key, setting -> setting, (a, b) -> a, LinkedHashMap::new));
    }

    /**
     * @param file the YAML file, when one was given
     * @param environment the process environment; only {@code LAMBDA_} variables are read
     * @param commandLine values from command-line options, keyed by setting key, with the option's name as origin
     */
    public ConfigValues load(Optional<Path> file, Map<String, String> environment, Map<String, Origin> commandLine)
    {
        requireNonNull(file, "file is null");
        List<String> problems = new ArrayList<>();
        Map<String, Origin> raw = new LinkedHashMap<>();
        settings.values().forEach(setting -> raw.put(setting.key(), new Origin(setting.defaultValue(), "default")));

        file.ifPresent(path -> readYaml(path, raw, problems));
        readEnvironment(environment, raw, problems);
        commandLine.forEach((key, value) -> {
            if (!settings.containsKey(key)) {
                throw new IllegalArgumentException("no setting " + key);
            }
            raw.put(key, value);
        });

        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting<?> setting : settings.values()) {
            Origin origin = raw.get(setting.key());
            try {
                values.put(setting.key(), setting.parser().parse(origin.value()));
            }
            catch (IllegalArgumentException e) {
                String shown = setting.secret() ? "" : ", was '" + origin.value() + "'";
                problems.add(setting.key() + ": " + e.getMessage() + shown + " (from " + origin.source() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ConfigValues(values, raw, settings);
    }

    private void readYaml(Path path, Map<String, Origin> raw, List<String> problems)
    {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(path));
        }
        catch (NoSuchFileException e) {
            problems.add("config file " + path + " does not exist");
            return;
        }
        catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            problems.add("config file " + path + " is not valid YAML" + where + ": " + e.getOriginalMessage().replaceAll("\\s+", " ").trim());
            return;
        }
        catch (IOException e) {
            problems.add("cannot read config file " + path + ": " + e.getMessage());
            return;
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return;
        }
        if (!root.isObject()) {
            problems.add("config file " + path + " must be a mapping of keys to values");
            return;
        }
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", root, flat);
        flat.forEach((key, value) -> {
            if (settings.containsKey(key)) {
                raw.put(key, new Origin(value, path.getFileName().toString()));
            }
            else {
                problems.add("unknown key '" + key + "' in " + path);
            }
        });
    }

    /** Nested mappings become dotted keys; a list becomes a comma-separated value. */
    private static void flatten(String prefix, JsonNode node, Map<String, String> flat)
    {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), flat);
            }
        }
        else if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(item.asText()));
            flat.put(prefix, String.join(",", items));
        }
        else {
            flat.put(prefix, node.isNull() ? "" : node.asText());
        }
    }

    private void readEnvironment(Map<String, String> environment, Map<String, Origin> raw, List<String> problems)
    {
        Map<String, String> keysByEnv = settings.keySet().stream().collect(Collectors.toMap(Setting::envName, key -> key));
        environment.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(Setting.ENV_PREFIX))
                .filter(entry -> !Settings.OTHER_ENV.contains(entry.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(entry -> {
                    String key = keysByEnv.get(entry.getKey());
                    if (key == null) {
                        problems.add("unknown environment variable " + entry.getKey() + " (no such setting)");
                    }
                    else {
                        raw.put(key, new Origin(entry.getValue(), entry.getKey()));
                    }
                });
    }

    /** A setting's text and where it came from: "default", a file name, a variable, an option. */
    public record Origin(String value, String source)
    {
        public Origin
        {
            requireNonNull(value, "value is null");
            requireNonNull(source, "source is null");
        }
    }
}
