package io.lambdatrades.launcher.batch;

import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.launcher.CommonOptions;
import io.lambdatrades.scheduler.RetentionLosses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "ack-loss", mixinStandardHelpOptions = true,
        description = "Acknowledge the trades Kafka deleted before the master dataset absorbed them (see lambda status): they are gone for good; "
                + "the system stops reporting itself degraded for them.")
public final class BatchAckLossCommand
        implements Callable<Integer>
{
    @Mixin
    CommonOptions common;

    @Override
    public Integer call()
            throws Exception
    {
        LambdaConfig config = common.load(Map.of());
        var postgres = common.connect(config, "lambda").postgres();
        List<RetentionLosses.Loss> acknowledged = new RetentionLosses(postgres).acknowledge(System.getProperty("user.name", "unknown"));
        if (acknowledged.isEmpty()) {
            System.out.println("lambda batch ack-loss: no unacknowledged loss");
        }
        acknowledged.forEach(loss -> System.out.println("lambda batch ack-loss: acknowledged " + loss.describe()));
        return 0;
    }
}
