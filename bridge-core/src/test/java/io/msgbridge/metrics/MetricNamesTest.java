package io.msgbridge.metrics;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricNamesTest {

    @Test
    void everyMetricHasAUniqueBridgeNameAndAHelpText() {
        assertThat(Arrays.stream(MetricNames.values()).map(MetricNames::baseName))
                .doesNotHaveDuplicates()
                .allMatch(name -> name.matches("bridge_[a-z_]+"));
        assertThat(MetricNames.values()).allSatisfy(m -> assertThat(m.help()).isNotBlank().endsWith("."));
    }

    @Test
    void aDropwizardNameCarriesThePipelineAndTheOtherLabelValuesInOrder() {
        assertThat(MetricNames.RECORDS_FAILED.dropwizardName("orders", "sink", "true"))
                .isEqualTo("bridge_records_failed.orders.sink.true");
        assertThat(MetricNames.pipelineOf("bridge_records_failed.orders.sink.true")).hasValue("orders");
        assertThat(MetricNames.pipelineOf("bridge_records_in.orders")).hasValue("orders");
    }

    @Test
    void namesOutsideTheCatalogueBelongToNoPipeline() {
        assertThat(MetricNames.pipelineOf("hikari.pool.Wait")).isEmpty();
        assertThat(MetricNames.pipelineOf("bridge_records_in")).isEmpty();
        assertThat(MetricNames.pipelineOf("bridge_records_failed.orders")).isEmpty();
    }

    @Test
    void refusesTheWrongNumberOfLabelValues() {
        assertThatThrownBy(() -> MetricNames.RECORDS_FAILED.dropwizardName("orders", "sink"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bridge_records_failed: expected label values for [stage, retriable] but got [sink]");
    }
}
