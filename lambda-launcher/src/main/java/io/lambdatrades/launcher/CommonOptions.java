package io.lambdatrades.launcher;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.PostgresSchema;
import io.lambdatrades.common.config.ConfigLoader.Origin;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.common.config.Settings;
import io.lambdatrades.launcher.status.RunningServices;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Options every command takes. */
public final class CommonOptions
{
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file; LAMBDA_... variables and options override it.")
    Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (data.dir, default ./data).")
    String dataDir;

    @Option(names = {"-v", "--verbose"}, description = "Log more and show stack traces of errors.")
    public boolean verbose;

    /** The options a layer started in a JVM of its own needs to see the same configuration. */
    public List<String> childOptions(LambdaConfig config)
    {
        List<String> options = new ArrayList<>(List.of("--data-dir", config.dataDir().toString()));
        if (configFile != null) {
            options.addAll(List.of("--config", configFile.toAbsolutePath().toString()));
        }
        return options;
    }

    /**
     * The start-up steps of a command on the running system, once its own arguments are checked: its
     * log, the services it finds, the schema migrated (a dead or misconfigured service is one line here).
     *
     * @param logName the log file's name under the data directory's logs
     */
    public CommandServices connect(LambdaConfig config, String logName)
    {
        return connect(config, logName, false);
    }

    /** As {@link #connect}, for a command that needs Kafka too: a Kafka it cannot find is the first line it says. */
    public CommandServices connectWithKafka(LambdaConfig config, String logName)
    {
        return connect(config, logName, true);
    }

    private CommandServices connect(LambdaConfig config, String logName, boolean kafka)
    {
        Logging.configure(config.dataDir().resolve("logs"), logName, verbose);
        RunningServices services = RunningServices.find(config);
        if (kafka) {
            // Resolved first for its error alone: a Kafka not found is this command's first line.
            services.bootstrapServers();
        }
        PostgresConnection postgres = services.postgres();
        new PostgresSchema(postgres).migrate();
        return new CommandServices(services, postgres);
    }

    /** Resolves the configuration; {@code overrides} are the command's own options, keyed by setting. */
    public LambdaConfig load(Map<String, Origin> overrides)
    {
        Map<String, Origin> commandLine = new HashMap<>(overrides);
        if (dataDir != null) {
            commandLine.put(Settings.DATA_DIR.key(), new Origin(dataDir, "--data-dir"));
        }
        return LambdaConfig.load(Optional.ofNullable(configFile), System.getenv(), commandLine);
    }
}
