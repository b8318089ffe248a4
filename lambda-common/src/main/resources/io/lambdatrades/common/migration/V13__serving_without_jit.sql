-- The serving views' plans are estimated far above jit_above_cost (serving_latest with its laterals at
-- about 900,000 for 50 symbols and a year), so a PostgreSQL built with LLVM (Debian's, for one)
-- compiles every query of them: about 470 ms of compilation for a query that runs in 2-6 ms. The
-- views are many small index probes, which JIT cannot speed up: BI tools' sessions go without it.
-- (The serving layer's own pool sets the same for its connections.)
ALTER ROLE lambda_reader SET jit = off;
