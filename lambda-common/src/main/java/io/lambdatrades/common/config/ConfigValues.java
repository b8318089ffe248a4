package io.lambdatrades.common.config;

import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** Parsed values of every setting, with where each came from. */
public final class ConfigValues
{
    private final Map<String, Object> values;
    private final Map<String, ConfigLoader.Origin> origins;
    private final Map<String, Setting<?>> settings;

    ConfigValues(Map<String, Object> values, Map<String, ConfigLoader.Origin> origins, Map<String, Setting<?>> settings)
    {
        this.values = Map.copyOf(values);
        this.origins = Map.copyOf(origins);
        this.settings = Map.copyOf(settings);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting)
    {
        Object value = values.get(setting.key());
        requireNonNull(value, () -> "no value for " + setting.key());
        return (T) value;
    }

    /** The effective configuration for the log, secrets masked. */
    public Map<String, String> describe()
    {
        Map<String, String> described = new LinkedHashMap<>();
        Settings.ALL.stream().filter(setting -> settings.containsKey(setting.key())).forEach(setting -> {
            ConfigLoader.Origin origin = origins.get(setting.key());
            String shown = setting.secret() && !origin.value().isEmpty() ? "******" : origin.value();
            described.put(setting.key(), shown + " (" + origin.source() + ")");
        });
        return described;
    }
}
