package io.lambdatrades.common;

/**
 * The names under which the speed layer records its progress in {@code speed_offsets} and
 * {@code speed_batches}, which the serving layer and the audit read.
 */
public final class SpeedQueryNames
{
    /** The streaming query: its offsets in {@code speed_offsets} (both modes), its micro-batches in {@code speed_batches}. */
    public static final String QUERY = "speed";
    /** Real-time mode's writers in {@code speed_batches}: a row per partition, the partition as batch id. */
    public static final String REAL_TIME_GROUPS = "speed-realtime";

    private SpeedQueryNames() {}
}
