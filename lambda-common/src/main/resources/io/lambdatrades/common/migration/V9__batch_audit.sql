-- The audit a run makes after its publish (batch.audit: true): the dates it checked and how many
-- buckets of the serving views differed from the trades. NULL when the run made no audit.
ALTER TABLE batch_runs
    ADD COLUMN audited_dates      date[],
    ADD COLUMN audit_differences  bigint;
