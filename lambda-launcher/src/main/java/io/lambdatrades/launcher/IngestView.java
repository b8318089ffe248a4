package io.lambdatrades.launcher;

import io.lambdatrades.ingest.IngestMetrics;

/** An ingester as the progress line sees it, whether it runs in this JVM or in a child. */
interface IngestView
{
    /** running, starting, restarting, finished, failed or stopped */
    String state();

    String lastError();

    String phase();

    IngestMetrics.Snapshot snapshot();
}
