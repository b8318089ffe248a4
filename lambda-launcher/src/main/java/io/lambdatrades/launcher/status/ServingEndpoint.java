package io.lambdatrades.launcher.status;

import static java.util.Objects.requireNonNull;

/**
 * Where a running serving layer answers, published in {@code <data-dir>/run/serving.json} for
 * {@code lambda status} and the tests (its port may have been picked freely).
 */
public record ServingEndpoint(long pid, String url, long startedAt)
{
    public static final String FILE = "serving.json";

    public ServingEndpoint
    {
        requireNonNull(url, "url is null");
    }
}
