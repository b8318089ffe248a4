package io.lambdatrades.serving;

import io.lambdatrades.common.StatusFigures;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What {@code lambda status} reports, supplied by whoever runs the serving layer, which knows where the
 * system's parts live.
 */
@FunctionalInterface
public interface StatusSource
{
    /** For a serving layer run on its own, as the benchmarks do: nothing to probe, nothing known. */
    StatusSource NONE = () -> new Status(Map.of(), StatusFigures.unknown());

    Status status();

    /**
     * @param document what {@code /api/v1/status} returns, as an object Jackson serialises
     * @param figures what {@code /metrics} exports
     */
    record Status(Object document, StatusFigures figures)
    {
        public Status
        {
            requireNonNull(document, "document is null");
            requireNonNull(figures, "figures is null");
        }
    }
}
