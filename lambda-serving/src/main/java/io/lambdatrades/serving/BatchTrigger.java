package io.lambdatrades.serving;

/** Starts a batch run or backfill on behalf of an API caller (POST /api/v1/batch/runs). */
@FunctionalInterface
public interface BatchTrigger
{
    /**
     * @return what was started, for the caller
     * @throws ApiException 409 when a run this server started is still going
     */
    Submitted submit(BatchRunRequest request);

    record Submitted(String description, String log) {}
}
