package io.lambdatrades.launcher.batch;

import io.lambdatrades.launcher.Console;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.sql.SparkSession;

import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** While Spark works, a progress line every few seconds: the active stages and their finished tasks. */
public final class SparkProgress
        implements AutoCloseable
{
    private static final int EVERY_SECONDS = 5;

    private final SparkStatusTracker tracker;
    private final Console console;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "lambda-spark-progress");
        thread.setDaemon(true);
        return thread;
    });

    SparkProgress(SparkSession spark, Console console)
    {
        this.tracker = spark.sparkContext().statusTracker();
        this.console = console;
        timer.scheduleAtFixedRate(this::report, EVERY_SECONDS, EVERY_SECONDS, TimeUnit.SECONDS);
    }

    private void report()
    {
        int[] stages = tracker.getActiveStageIds();
        if (stages.length == 0) {
            return;
        }
        String text = Arrays.stream(stages)
                .mapToObj(id -> tracker.getStageInfo(id))
                .filter(option -> option.isDefined())
                .map(option -> {
                    SparkStageInfo stage = option.get();
                    return "stage " + stage.stageId() + " " + stage.numCompletedTasks() + "/" + stage.numTasks() + " tasks";
                })
                .reduce((a, b) -> a + ", " + b)
                .orElse("");
        console.progress("  spark     " + text);
    }

    @Override
    public void close()
    {
        timer.shutdownNow();
    }
}
