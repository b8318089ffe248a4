package io.lambdatrades.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class IngestLedgerTest
{
    @Test
    void theFileHoldsEveryCountTheMomentItIsMade(@TempDir Path dir)
    {
        Path file = dir.resolve("run").resolve("ingest.ledger");
        IngestMetrics metrics = new IngestMetrics(IngestLedger.mapped(file));
        for (int i = 0; i < 5; i++) {
            metrics.recordFrameReceived();
        }
        metrics.recordFrameHandled();
        for (int i = 0; i < 7; i++) {
            metrics.recordSent("AAPL", 1_000 + i);
        }
        metrics.recordAcknowledged();
        metrics.recordAcknowledged();

        // Read as the supervisor reads it after a kill -9: from the file, the mapping never closed.
        IngestLedger.Snapshot counted = IngestLedger.read(file).orElseThrow();

        assertThat(counted).isEqualTo(new IngestLedger.Snapshot(5, 1, 7, 2));
        assertThat(counted.tradesInFlight()).isEqualTo(5);
        assertThat(counted.framesUnhandled()).isEqualTo(4);
        assertThat(metrics.snapshot().sent()).isEqualTo(7);
        assertThat(metrics.snapshot().acknowledged()).isEqualTo(2);
    }

    @Test
    void aNewLedgerStartsFromZeroAndNoFileIsNoLedger(@TempDir Path dir)
    {
        Path file = dir.resolve("ingest.ledger");
        assertThat(IngestLedger.read(file)).isEmpty();
        new IngestMetrics(IngestLedger.mapped(file)).recordSent("AAPL", 1);

        IngestLedger.mapped(file);

        assertThat(IngestLedger.read(file)).contains(new IngestLedger.Snapshot(0, 0, 0, 0));
    }
}
