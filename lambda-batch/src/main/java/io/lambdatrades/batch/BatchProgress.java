package io.lambdatrades.batch;

/** Hears each step of a batch run as it completes: progress lines for people, checkpoints for tests. */
@FunctionalInterface
public interface BatchProgress
{
    BatchProgress NONE = (step, detail) -> {};

    void step(Step step, String detail);

    enum Step
    {
        /** Committed absorbs left unfinished by an earlier run are in the table now. */
        ABSORB_RECOVERED,
        /** New trades are written as Avro outside the table; nothing is committed yet. */
        ABSORB_STAGED,
        /** The staged files and their offsets are committed; the files are not in the table yet. */
        ABSORB_COMMITTED,
        ABSORB_DONE,
        VIEWS_DONE,
        PUBLISHED,
        AUDITED,
    }
}
