package io.lambdatrades.launcher.serve;

import io.lambdatrades.common.config.ConfigLoader.Origin;
import io.lambdatrades.common.config.Settings;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** Where the HTTP API and dashboard listen, shared by {@code up} and {@code serve}. */
public final class ServingOptions
{
    @Option(names = "--port", paramLabel = "PORT", description = "Port of the dashboard and HTTP API (serving.port, default 8080; 0 picks a free one).")
    String port;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address the dashboard and HTTP API bind to (serving.host, default 127.0.0.1).")
    String host;

    public Map<String, Origin> overrides()
    {
        Map<String, Origin> overrides = new LinkedHashMap<>();
        if (port != null) {
            overrides.put(Settings.SERVING_PORT.key(), new Origin(port, "--port"));
        }
        if (host != null) {
            overrides.put(Settings.SERVING_HOST.key(), new Origin(host, "--host"));
        }
        return overrides;
    }
}
