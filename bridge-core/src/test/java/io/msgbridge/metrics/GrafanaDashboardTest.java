package io.msgbridge.metrics;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard of deploy/grafana/ queries only what the daemon exports: every metric, label and
 * label value a panel or variable names is checked against a scrape of the metrics registry with a pipeline
 * registered, the text {@code /metrics} serves. A renamed metric fails here rather than as an empty panel.
 */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "msgbridge.json");
    /** Labels Prometheus adds to every series it scrapes. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");
    private static final Pattern METRIC = Pattern.compile("\\b(bridge_[a-z0-9_]+)(?:\\{([^}]*)})?");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Pattern BY = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*(bridge_[a-z0-9_]+)\\s*,\\s*(\\w+)\\s*\\)");

    private final PrometheusSamples exported = scrapeOfAPipeline();

    private static PrometheusSamples scrapeOfAPipeline() {
        MetricRegistry registry = new MetricRegistry();
        new DropwizardPipelineMetrics(registry, "orders");
        return PrometheusSamples.parse(new String(new PrometheusExposition(registry).scrape(), StandardCharsets.UTF_8));
    }

    @Test
    void everyPanelQueriesMetricsLabelsAndValuesTheDaemonExports() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> problems = new ArrayList<>();
        int queries = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            List<String> exprs = panel.path("targets").findValuesAsText("expr");
            assertThat(exprs).as("queries of panel \"%s\"", panel.path("title").asText()).isNotEmpty();
            for (String expr : exprs) {
                problems.addAll(check(panel.path("title").asText(), expr));
                queries++;
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String definition = variable.path("definition").asText();
            Matcher values = LABEL_VALUES.matcher(definition);
            while (values.find()) {
                if (!labelsOf(values.group(1)).contains(values.group(2))) {
                    problems.add("variable " + variable.path("name").asText() + ": " + values.group(1)
                            + " has no label " + values.group(2));
                }
            }
        }

        assertThat(queries).isGreaterThanOrEqualTo(10);
        assertThat(problems).as("exported:\n%s", String.join("\n", exported.names())).isEmpty();
    }

    @Test
    void theDashboardShowsReadinessLagAndFailuresPerPipeline() throws IOException {
        String text = new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels").toString();

        assertThat(text).contains(MetricNames.READY.exposedName(), MetricNames.SOURCE_LAG.exposedName(),
                MetricNames.RECORDS_FAILED.exposedName(), MetricNames.RECORDS_DEAD_LETTERED.exposedName(),
                MetricNames.PARKED_KEYS.exposedName(), MetricNames.COMMIT_LATENCY.exposedName(),
                MetricNames.END_TO_END_LATENCY.exposedName(), MetricNames.IN_FLIGHT_RECORDS.exposedName());
    }

    private List<String> check(String panel, String expr) {
        List<String> problems = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        Matcher metric = METRIC.matcher(expr);
        while (metric.find()) {
            String name = metric.group(1);
            metrics.add(name);
            if (exported.labelSets(name).isEmpty()) {
                problems.add(panel + ": " + name + " is not exported (in " + expr + ")");
                continue;
            }
            Matcher matcher = MATCHER.matcher(metric.group(2) == null ? "" : metric.group(2));
            while (matcher.find()) {
                String label = matcher.group(1);
                String value = matcher.group(3);
                if (!labelsOf(name).contains(label)) {
                    problems.add(panel + ": " + name + " has no label " + label);
                } else if (matcher.group(2).equals("=") && !value.contains("$")
                        && exported.labelSets(name).stream().noneMatch(labels -> value.equals(labels.get(label)))) {
                    problems.add(panel + ": " + name + " has no series with " + label + "=\"" + value + "\"");
                }
            }
        }
        Matcher by = BY.matcher(expr);
        while (by.find()) {
            for (String label : by.group(1).split(",")) {
                String trimmed = label.trim();
                if (!TARGET_LABELS.contains(trimmed) && metrics.stream().noneMatch(m -> labelsOf(m).contains(trimmed))) {
                    problems.add(panel + ": no metric of " + expr + " has the label " + trimmed);
                }
            }
        }
        return problems;
    }

    private Set<String> labelsOf(String name) {
        return exported.labelSets(name).stream().map(Map::keySet).flatMap(Set::stream)
                .collect(java.util.stream.Collectors.toSet());
    }
}
