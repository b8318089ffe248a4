package io.lambdatrades.serving;

/** Queues a batch run or backfill on behalf of an API caller (POST /api/v1/batch/runs). */
@FunctionalInterface
public interface BatchTrigger
{
    /**
     * @return what was queued, for the caller
     * @throws ApiException 400 when the request names a period that cannot run
     */
    Submitted submit(BatchRunRequest request);

    record Submitted(String description, String log) {}
}
