package io.lambdatrades.serving;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** The answer of {@code GET /api/v1/symbols}: every symbol's row and how current the views are, from one snapshot. */
public record SymbolList(List<SymbolSummary> symbols, Freshness freshness)
{
    public SymbolList
    {
        symbols = List.copyOf(symbols);
        requireNonNull(freshness, "freshness is null");
    }
}
