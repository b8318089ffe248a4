package io.lambdatrades.launcher.batch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

@Command(name = "batch", mixinStandardHelpOptions = true,
        description = "The batch layer: absorb Kafka into the master dataset, recompute the views, publish them.",
        subcommands = {BatchRunCommand.class, BatchTaskCommand.class, BatchHistoryCommand.class, BatchAckLossCommand.class})
public final class BatchCommand
        implements Runnable
{
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: run, task, history or ack-loss");
    }
}
