package io.lambdatrades.common.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchSettingsTest
{
    @Test
    void batchPeriodsDivideADay()
    {
        ValueParser<Duration> parser = ValueParsers.batchPeriod();

        assertThat(parser.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(parser.parse("6H")).isEqualTo(Duration.ofHours(6));
        assertThat(parser.parse("15m")).isEqualTo(Duration.ofMinutes(15));
        for (String bad : new String[] {"7h", "2d", "0h", "1w", "hourly", ""}) {
            assertThatThrownBy(() -> parser.parse(bad)).as(bad).hasMessage("must be a period that divides a day, such as 1d, 6h, 1h or 15m");
        }
    }

    @Test
    void locationsAreURIsAndLocalPathsBecomeAbsoluteFileURIs()
    {
        ValueParser<Optional<String>> parser = ValueParsers.optionalLocation();

        assertThat(parser.parse("hdfs://namenode:8020/lambda/warehouse")).contains("hdfs://namenode:8020/lambda/warehouse");
        assertThat(parser.parse("s3a://bucket/views")).contains("s3a://bucket/views");
        assertThat(parser.parse("relative/views")).contains("file://" + Path.of("relative/views").toAbsolutePath());
        assertThat(parser.parse(" ")).isEmpty();
        assertThatThrownBy(() -> parser.parse("hdfs://name node/x")).hasMessageStartingWith("must be a path or a URI");
    }

    @Test
    void theMetastoreIsAThriftUri()
    {
        ValueParser<Optional<URI>> parser = ValueParsers.optionalThriftUri();

        assertThat(parser.parse("thrift://metastore:9083")).contains(URI.create("thrift://metastore:9083"));
        assertThat(parser.parse("")).isEmpty();
        assertThatThrownBy(() -> parser.parse("http://metastore:9083")).hasMessage("must be a thrift://host:port URI");
        assertThatThrownBy(() -> parser.parse("thrift://metastore")).hasMessage("must be a thrift://host:port URI");
    }

    @Test
    void everyBatchLocationDefaultsUnderTheDataDirectory()
    {
        LambdaConfig config = LambdaConfig.load(Optional.empty(), Map.of(), Map.of(Settings.DATA_DIR.key(), new ConfigLoader.Origin("/srv/lambda", "--data-dir")));

        assertThat(config.batch().warehouseDir()).isEqualTo("file:///srv/lambda/warehouse");
        assertThat(config.batch().viewsDir()).isEqualTo("file:///srv/lambda/views");
        assertThat(config.batch().metastoreDir()).isEqualTo(Path.of("/srv/lambda/metastore"));
        assertThat(config.batch().metastoreUri()).isEmpty();
        assertThat(config.batch().period()).isEqualTo(Duration.ofDays(1));
    }
}
