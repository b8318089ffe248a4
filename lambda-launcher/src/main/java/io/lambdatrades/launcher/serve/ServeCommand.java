package io.lambdatrades.launcher.serve;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.launcher.CommonOptions;
import io.lambdatrades.launcher.Console;
import io.lambdatrades.launcher.StopSignals;
import io.lambdatrades.launcher.status.ServingEndpoint;
import io.lambdatrades.launcher.status.StateFile;
import io.lambdatrades.launcher.status.StatusProbe;
import io.lambdatrades.launcher.status.SystemStatus;
import io.lambdatrades.serving.AdminToken;
import io.lambdatrades.serving.ReaderRole;
import io.lambdatrades.serving.ServingServer;
import io.lambdatrades.serving.StatusSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run only the serving layer: the HTTP API over the merged views, the live stream and the dashboard, against the configured PostgreSQL or that of a running 'lambda up'.")
public final class ServeCommand
        implements Callable<Integer>
{
    @Mixin
    CommonOptions common;

    @Mixin
    ServingOptions serving;

    @Override
    public Integer call()
            throws InterruptedException
    {
        LambdaConfig config = common.load(serving.overrides());
        PostgresConnection postgres = common.connect(config, "serving").postgres();
        ReaderRole.apply(postgres, config.serving().readerPassword());
        AdminToken adminToken = AdminToken.resolve(Optional.ofNullable(System.getenv(AdminToken.ENV)), config.dataDir());
        QueueBatchTrigger batchTrigger = new QueueBatchTrigger(postgres, config.batch().period(), config.dataDir().resolve("logs").resolve("batch.out"));
        StatusProbe status = new StatusProbe(config);
        CountDownLatch stopped = new CountDownLatch(1);
        try (ServingServer server = ServingServer.start(config.serving(), postgres, () -> statusOf(status.probe(), config), adminToken, batchTrigger, Clock.systemUTC())) {
            String url = "http://" + config.serving().host() + ":" + server.port();
            new StateFile<>(config.dataDir(), ServingEndpoint.FILE, ServingEndpoint.class)
                    .write(new ServingEndpoint(ProcessHandle.current().pid(), url, System.currentTimeMillis()));
            StopSignals.onStop(stopped::countDown);
            Console console = new Console(System.out, System.console() != null);
            console.line("lambda serve: dashboard " + url + "/, API " + url + "/api/v1 (OpenAPI at /api/openapi.json), metrics " + url + "/metrics; reading "
                    + postgres.redactedUrl());
            stopped.await();
            console.line("lambda serve: stopped");
        }
        return 0;
    }

    private static StatusSource.Status statusOf(SystemStatus status, LambdaConfig config)
    {
        return new StatusSource.Status(status, status.figures(config.kafka().topic(), config.kafka().deadLetterTopic()));
    }
}
