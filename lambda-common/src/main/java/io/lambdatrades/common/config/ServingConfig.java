package io.lambdatrades.common.config;

import static java.util.Objects.requireNonNull;

/**
 * The serving layer: where its HTTP API listens and how it treats stream clients.
 *
 * @param streamBuffer live events a client may fall behind by before it is dropped
 * @param cache whether the API reuses an answer until the data changes (at most 100 ms after a commit)
 * @param readerPassword password of role lambda_reader; empty leaves it unable to log in
 */
public record ServingConfig(boolean enabled, String host, int port, int streamBuffer, boolean cache, String readerPassword)
{
    public ServingConfig
    {
        requireNonNull(host, "host is null");
        requireNonNull(readerPassword, "readerPassword is null");
    }

    static ServingConfig from(ConfigValues values)
    {
        return new ServingConfig(
                values.get(Settings.SERVING_ENABLED),
                values.get(Settings.SERVING_HOST),
                values.get(Settings.SERVING_PORT),
                values.get(Settings.SERVING_STREAM_BUFFER),
                values.get(Settings.SERVING_CACHE),
                values.get(Settings.SERVING_READER_PASSWORD));
    }

    @Override
    public String toString()
    {
        return "ServingConfig[enabled=" + enabled + ", host=" + host + ", port=" + port + ", streamBuffer=" + streamBuffer + ", cache=" + cache + "]";
    }
}
