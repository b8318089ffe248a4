-- The serving views are plans of many small index probes whose estimated cost grows with the symbols
-- and laterals, not with the rows read: the API's symbol list (serving_latest with each symbol's
-- hourly sparkline) is estimated at about 900,000 for 50 symbols and a year, far above jit_above_cost,
-- so a PostgreSQL built with LLVM (Debian's, for one) JIT-compiled it on every call: 410 ms a query
-- against 3.8 ms without (docs/benchmarks.md). JIT cannot speed up index probes; BI tools' sessions go
-- without it, as do the serving layer's own connections.
ALTER ROLE lambda_reader SET jit = off;
