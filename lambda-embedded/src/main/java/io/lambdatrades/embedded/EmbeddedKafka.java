package io.lambdatrades.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one), running in this
 * JVM. Its log lives in one directory, formatted on first start and reused on every later one, so
 * that topics and records survive a restart.
 */
public final class EmbeddedKafka
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final Path logDir;
    private final int port;
    private final int controllerPort;

    private EmbeddedKafka(KafkaRaftServer server, Path logDir, int port, int controllerPort)
    {
        this.server = server;
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * Starts the broker on its log directory.
     *
     * @param port client port, 0 for a free one
     * @param controllerPort KRaft controller port, 0 for a free one
     */
    public static EmbeddedKafka start(Path logDir, int port, int controllerPort)
    {
        requireNonNull(logDir, "logDir is null");
        PortAllocator ports = new PortAllocator();
        int clientPort = ports.choose(port, "kafka.port");
        int quorumPort = ports.choose(controllerPort, "kafka.controller.port");
        Properties properties = brokerProperties(logDir, clientPort, quorumPort);
        KafkaConfig config = new KafkaConfig(properties);
        formatOnFirstStart(logDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        }
        catch (RuntimeException e) {
            server.shutdown();
            throw new IllegalStateException("cannot start the embedded Kafka broker in " + logDir + ": " + e.getMessage(), e);
        }
        log.info("Kafka broker up at 127.0.0.1:{} with its log in {}", clientPort, logDir);
        return new EmbeddedKafka(server, logDir, clientPort, quorumPort);
    }

    private static Properties brokerProperties(Path logDir, int port, int controllerPort)
    {
        Properties properties = new Properties();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", Integer.toString(NODE_ID));
        properties.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        properties.put("listeners", "PLAINTEXT://127.0.0.1:" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        properties.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        properties.put("controller.listener.names", CONTROLLER_LISTENER);
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        properties.put("log.dirs", logDir.toString());
        properties.put("auto.create.topics.enable", "false");
        // One node: every internal topic has one replica, and few partitions so that it starts fast.
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "5");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("transaction.state.log.num.partitions", "5");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        properties.put("group.initial.rebalance.delay.ms", "0");
        return properties;
    }

    private static void formatOnFirstStart(Path logDir)
    {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(logDir.toString())
                    .addDirectory(logDir.toString())
                    .run();
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot create the Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
        catch (Exception e) {
            throw new IllegalStateException("cannot format the Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    public String bootstrapServers()
    {
        return "127.0.0.1:" + port;
    }

    public int port()
    {
        return port;
    }

    public int controllerPort()
    {
        return controllerPort;
    }

    public Path logDir()
    {
        return logDir;
    }

    /** A controlled shutdown: the log is flushed and the next start needs no recovery. */
    @Override
    public void close()
    {
        server.shutdown();
        server.awaitShutdown();
        log.info("Kafka broker at 127.0.0.1:{} stopped", port);
    }
}
