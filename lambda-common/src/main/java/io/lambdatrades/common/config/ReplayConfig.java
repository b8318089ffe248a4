package io.lambdatrades.common.config;

import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * @param speed pace factor; infinity replays as fast as Kafka takes it
 */
public record ReplayConfig(Optional<Path> file, double speed)
{
    public ReplayConfig
    {
        requireNonNull(file, "file is null");
    }

    static ReplayConfig from(ConfigValues values)
    {
        return new ReplayConfig(values.get(Settings.REPLAY_FILE), values.get(Settings.REPLAY_SPEED));
    }
}
