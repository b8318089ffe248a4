package io.lambdatrades.common;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpeedCommitNotificationTest
{
    @Test
    void coversEachPartitionsWrittenOffsetsAndReadsBack()
    {
        SpeedCommitNotification notification = SpeedCommitNotification.of(List.of(
                new SpeedCommitNotification.Written(2, 40), new SpeedCommitNotification.Written(0, 7),
                new SpeedCommitNotification.Written(2, 38), new SpeedCommitNotification.Written(0, 9)));

        assertThat(notification.toPayload()).isEqualTo("0:7-9,2:38-40");
        assertThat(SpeedCommitNotification.parse(notification.toPayload())).isEqualTo(notification);
    }

    @Test
    void refusesAPayloadItDidNotWrite()
    {
        assertThatThrownBy(() -> SpeedCommitNotification.parse("0:9-7")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpeedCommitNotification.parse("hello")).isInstanceOf(IllegalArgumentException.class);
    }
}
