package io.lambdatrades.launcher;

import io.lambdatrades.launcher.batch.AuditCommand;
import io.lambdatrades.launcher.batch.BatchCommand;
import io.lambdatrades.launcher.batch.SqlCommand;
import io.lambdatrades.launcher.ingest.IngestCommand;
import io.lambdatrades.launcher.ingest.RecordCommand;
import io.lambdatrades.launcher.serve.ServeCommand;
import io.lambdatrades.launcher.status.StatusCommand;
import io.lambdatrades.launcher.up.UpCommand;
import picocli.CommandLine.Command;

@Command(
        name = "lambda",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A Lambda architecture for live market trades: Kafka, a batch layer, a speed layer, one merged view.",
        subcommands = {UpCommand.class, IngestCommand.class, SpeedCommand.class, SchedulerCommand.class, ServeCommand.class, BatchCommand.class, AuditCommand.class, SqlCommand.class, RecordCommand.class, StatusCommand.class})
public final class LambdaCommand
        implements Runnable
{
    @Override
    public void run()
    {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "a command is needed: up, ingest, speed, scheduler, serve, batch, audit, sql, record or status (see lambda --help)");
    }
}
