package io.lambdatrades.launcher.ingest;

import io.lambdatrades.ingest.IngestMetrics;

/** An ingester as the progress line sees it, whether it runs in this JVM or in a child. */
public interface IngestView
{
    /** running, starting, restarting, finished, failed or stopped */
    String state();

    String lastError();

    String phase();

    IngestMetrics.Snapshot snapshot();
}
