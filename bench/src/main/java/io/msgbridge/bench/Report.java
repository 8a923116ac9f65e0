package io.msgbridge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints the results table and writes it as Markdown ({@code summary.md}), JSON and a PNG plot
 * (throughput and latency per scenario) under the results directory: the latest as {@code summary.*},
 * each suite run also with its timestamp. The key-cardinality scenarios get a table of their own
 * ({@link #keyCardinality}). Both name the command that reproduces them ({@code bench.command}, which
 * bench/run sets: its settings and arguments).
 */
final class Report {
    private static final Color BASELINE = new Color(0x4C72B0);
    private static final Color BRIDGE = new Color(0xDD8452);
    private static final String COMMAND = System.getProperty("bench.command");

    private Report() {
    }

    /** One run as a progress line. */
    static String line(RunResult r) {
        return String.format(Locale.ROOT, "round %d %-8s %,9.0f rec/s %6.1f MB/s  %s%s  RSS peak %.0f MiB  CPU %.1f s/M (JIT %.1f)  machine %.1f s/M (%s), idle %.0f%%%s  keys at the sink %,d%s",
                r.round(), r.variant().name().toLowerCase(Locale.ROOT), r.recordsPerSecond(), r.megabytesPerSecond(),
                r.latency() == null ? "latency -" : String.format(Locale.ROOT, "latency p50 %.2f p99 %.2f p999 %.2f ms",
                        r.latency().p50(), r.latency().p99(), r.latency().p999()),
                r.brokerHop() == null ? "" : String.format(Locale.ROOT, " (broker hop p50 %.2f p99 %.2f p999 %.2f ms)",
                        r.brokerHop().p50(), r.brokerHop().p99(), r.brokerHop().p999()),
                r.peakRssMiB(), r.cpuSecondsPerMillion(), r.jitSecondsPerMillion(), r.machineCpuSecondsPerMillion(),
                r.machineCpuByGroup().entrySet().stream().map(e -> fmt("%s %.1f", e.getKey(), e.getValue())).collect(Collectors.joining(", ")),
                100 * r.machineIdleShare(),
                r.commitsPerSecond() == null ? "" : String.format(Locale.ROOT, "  commits %.2f/s", r.commitsPerSecond()),
                r.keysAtSink(),
                (r.lost() > 0 || r.duplicates() > 0) ? String.format(Locale.ROOT, "  (lost %,d, duplicates %,d)", r.lost(), r.duplicates()) : "");
    }

    static void write(List<ScenarioResult> results, Path directory, LocalDate date) throws IOException {
        Files.createDirectories(directory);
        String table = markdown(results, date);
        System.out.println();
        System.out.println(table);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Files.writeString(directory.resolve("summary.md"), table);
        byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json(results, date));
        Files.write(directory.resolve("summary.json"), json);
        Files.write(directory.resolve("bench-" + stamp + ".json"), json);
        BufferedImage plot = plot(results);
        ImageIO.write(plot, "png", directory.resolve("summary.png").toFile());
        ImageIO.write(plot, "png", directory.resolve("bench-" + stamp + ".png").toFile());
    }

    private static Map<String, Object> json(List<ScenarioResult> results, LocalDate date) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("date", date.toString());
        root.put("command", COMMAND);
        root.put("machine", machine());
        List<Map<String, Object>> scenarios = new ArrayList<>();
        for (ScenarioResult s : results) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("scenario", s.scenario());
            entry.put("description", s.description());
            entry.put("keys", Scenario.ALL.get(s.scenario()).keys().label());
            entry.put("payloadBytes", s.volume().payloads().size());
            entry.put("warmUpRecordsPerRun", s.volume().warmUp());
            entry.put("measuredRecordsPerRun", s.volume().records());
            entry.put("producerRate", s.rate());
            entry.put("baseline", s.summary(Scenario.Variant.BASELINE));
            entry.put("bridge", s.summary(Scenario.Variant.BRIDGE));
            entry.put("ratio", s.ratios());
            entry.put("runs", s.runs());
            scenarios.add(entry);
        }
        root.put("scenarios", scenarios);
        return root;
    }

    static String markdown(List<ScenarioResult> results, LocalDate date) {
        StringBuilder out = new StringBuilder();
        out.append("Measured ").append(date).append(" on ").append(machine())
                .append(COMMAND == null ? "" : " with `" + COMMAND + "`").append(".\n\n");
        out.append("| scenario | variant | records/s median (min-max) | MB/s median (min-max) | bridge/baseline per round (median) "
                + "| latency p50 / p99 / p99.9 ms | peak RSS MiB | CPU s per M records (of it JIT) "
                + "| machine CPU s per M records (idle) | commits/s |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (ScenarioResult s : results) {
            for (Scenario.Variant variant : Scenario.Variant.values()) {
                ScenarioResult.VariantSummary v = s.summary(variant);
                if (v == null) {
                    continue;
                }
                ScenarioResult.Ratios ratios = s.ratios();
                String ratio = variant == Scenario.Variant.BRIDGE && ratios != null
                        ? ratios.perRound().stream().map(d -> fmt("%.2f", d)).collect(Collectors.joining(", "))
                        + fmt(" (**%.2f**)", ratios.median()) : "";
                String latency = v.latencyP50() == null ? "- (preloaded)"
                        : fmt("%.2f / %.2f / %.2f", v.latencyP50().median(), v.latencyP99().median(), v.latencyP999().median());
                out.append("| ").append(s.scenario()).append(s.rate() == null ? "" : fmt(" @ %.0f/s", s.rate()))
                        .append(" | ").append(variant.name().toLowerCase(Locale.ROOT))
                        .append(" | ").append(fmt("%,.0f (%,.0f-%,.0f)", v.recordsPerSecond().median(), v.recordsPerSecond().min(), v.recordsPerSecond().max()))
                        .append(" | ").append(fmt("%.1f (%.1f-%.1f)", v.megabytesPerSecond().median(), v.megabytesPerSecond().min(), v.megabytesPerSecond().max()))
                        .append(" | ").append(ratio)
                        .append(" | ").append(latency)
                        .append(" | ").append(fmt("%.0f", v.peakRssMiB()))
                        .append(" | ").append(fmt("%.1f (%.1f)", v.cpuSecondsPerMillion().median(), v.jitSecondsPerMillion().median()))
                        .append(" | ").append(fmt("%.1f (%.0f%%)", v.machineCpuSecondsPerMillion().median(), 100 * v.machineIdleShare().median()))
                        .append(" | ").append(v.commitsPerSecond() == null ? "" : fmt("%.2f", v.commitsPerSecond().median()))
                        .append(" |\n");
            }
        }
        for (ScenarioResult s : results) {
            List<RunResult> hops = s.runs().stream().filter(r -> r.brokerHop() != null).toList();
            if (!hops.isEmpty()) {
                out.append(fmt("\n%s: end-to-end latency per run against the broker's own hop (producer -> broker -> a plain "
                        + "subscriber on the source, no variant, measured alongside), p50 / p99 / p99.9 ms:\n", s.scenario()));
                for (RunResult r : hops) {
                    out.append(fmt("- round %d %s: %.2f / %.2f / %.2f against %.2f / %.2f / %.2f\n", r.round(),
                            r.variant().name().toLowerCase(Locale.ROOT), r.latency().p50(), r.latency().p99(), r.latency().p999(),
                            r.brokerHop().p50(), r.brokerHop().p99(), r.brokerHop().p999()));
                }
            }
        }
        out.append(keyCardinality(results));
        out.append(largeMessages(results));
        List<RunResult> soak = results.stream().filter(s -> s.scenario().equals("soak")).flatMap(s -> s.runs().stream()).toList();
        for (RunResult r : soak) {
            out.append(fmt("\nsoak (%s, %,d records): RSS start %.0f MiB, middle %.0f MiB, end %.0f MiB, peak %.0f MiB\n",
                    r.variant().name().toLowerCase(Locale.ROOT), r.records(), r.rssStartMiB(), r.rssMiddleMiB(), r.rssEndMiB(), r.peakRssMiB()));
        }
        return out.toString();
    }

    /**
     * The key-cardinality scenarios ({@link Scenario#KEY_CARDINALITY}) that ran, as a table for the
     * results document: per scenario the median records/s of each variant, the bridge/loop ratio of each
     * round (alternating runs) and their median, CPU seconds per million records of each variant (medians
     * over the rounds) and their ratio, and the distinct keys each variant's records carried at the sink
     * (over all rounds: min-max where rounds differ). Empty when none ran.
     */
    static String keyCardinality(List<ScenarioResult> results) {
        List<ScenarioResult> shown = results.stream().filter(s -> Scenario.KEY_CARDINALITY.contains(s.scenario())).toList();
        if (shown.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append(fmt("%nKey cardinality: the bridge keeps each key's records in order, the plain loop orders nothing; "
                + "%,d warm-up + %,d measured records a run, preloaded%s.%n%n", shown.getFirst().volume().warmUp(), shown.getFirst().volume().records(),
                COMMAND == null ? "" : "; `" + COMMAND + "`"));
        out.append("| scenario | keys | loop records/s | bridge records/s | bridge/loop per round (median) "
                + "| CPU s / M records, loop | bridge (bridge/loop) | keys at the sink, loop / bridge |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (ScenarioResult s : shown) {
            ScenarioResult.VariantSummary loop = s.summary(Scenario.Variant.BASELINE);
            ScenarioResult.VariantSummary bridge = s.summary(Scenario.Variant.BRIDGE);
            ScenarioResult.Ratios ratios = s.ratios();
            out.append("| ").append(s.scenario())
                    .append(" | ").append(Scenario.ALL.get(s.scenario()).keys().label())
                    .append(" | ").append(loop == null ? "" : fmt("%,.0f", loop.recordsPerSecond().median()))
                    .append(" | ").append(bridge == null ? "" : fmt("%,.0f", bridge.recordsPerSecond().median()))
                    .append(" | ").append(ratios == null ? "" : ratios.perRound().stream().map(d -> fmt("%.2f", d))
                            .collect(Collectors.joining(", ")) + fmt(" (**%.2f**)", ratios.median()))
                    .append(" | ").append(loop == null ? "" : fmt("%.1f", loop.cpuSecondsPerMillion().median()))
                    .append(" | ").append(bridge == null ? "" : fmt("%.1f", bridge.cpuSecondsPerMillion().median())
                            + (loop == null ? "" : fmt(" (**%.2f**)", bridge.cpuSecondsPerMillion().median() / loop.cpuSecondsPerMillion().median())))
                    .append(" | ").append(keysAtSink(s, Scenario.Variant.BASELINE)).append(" / ").append(keysAtSink(s, Scenario.Variant.BRIDGE))
                    .append(" |\n");
        }
        return out.toString();
    }

    /**
     * The large-message scenarios ({@link Scenario#LARGE_MESSAGES}) that ran, as a table for the results
     * document: per scenario the payload size and records a run, the median MB/s of each variant, the
     * bridge/loop ratio of each round (alternating runs) and their median, and each variant's peak RSS
     * over its rounds. Empty when none ran.
     */
    static String largeMessages(List<ScenarioResult> results) {
        List<ScenarioResult> shown = results.stream().filter(s -> Scenario.LARGE_MESSAGES.contains(s.scenario())).toList();
        if (shown.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append(fmt("%nLarge messages: payload MB/s, preloaded, the bridge at its default settings against the plain loop%s.%n%n",
                COMMAND == null ? "" : "; `" + COMMAND + "`"));
        out.append("| scenario | payload KiB | warm-up + measured records a run | loop MB/s | bridge MB/s "
                + "| bridge/loop per round (median) | peak RSS MiB, loop | bridge |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (ScenarioResult s : shown) {
            ScenarioResult.VariantSummary loop = s.summary(Scenario.Variant.BASELINE);
            ScenarioResult.VariantSummary bridge = s.summary(Scenario.Variant.BRIDGE);
            ScenarioResult.Ratios ratios = s.ratios();
            out.append("| ").append(s.scenario())
                    .append(" | ").append(s.volume().payloads().size() >> 10)
                    .append(" | ").append(fmt("%,d + %,d", s.volume().warmUp(), s.volume().records()))
                    .append(" | ").append(loop == null ? "" : fmt("%.1f", loop.megabytesPerSecond().median()))
                    .append(" | ").append(bridge == null ? "" : fmt("%.1f", bridge.megabytesPerSecond().median()))
                    .append(" | ").append(ratios == null ? "" : ratios.perRound().stream().map(d -> fmt("%.2f", d))
                            .collect(Collectors.joining(", ")) + fmt(" (**%.2f**)", ratios.median()))
                    .append(" | ").append(loop == null ? "" : fmt("%.0f", loop.peakRssMiB()))
                    .append(" | ").append(bridge == null ? "" : fmt("%.0f", bridge.peakRssMiB()))
                    .append(" |\n");
        }
        return out.toString();
    }

    /** The distinct keys at the sink over a variant's runs: one number, or min-max where its rounds differ. */
    private static String keysAtSink(ScenarioResult s, Scenario.Variant variant) {
        int[] keys = s.runs().stream().filter(r -> r.variant() == variant).mapToInt(RunResult::keysAtSink).sorted().toArray();
        if (keys.length == 0) {
            return "-";
        }
        int min = keys[0];
        int max = keys[keys.length - 1];
        return min == max ? fmt("%,d", min) : fmt("%,d-%,d", min, max);
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores shared with nats-server and PostgreSQL, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", JDK " + System.getProperty("java.version");
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** Left: median records/s per scenario and variant with min-max whiskers. Right: latency p50 and p99. */
    private static BufferedImage plot(List<ScenarioResult> results) {
        int width = 960;
        int height = 420;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        panel(g, results, 50, 40, 420, 320, "records/s (median, min-max)", true);
        panel(g, results, 530, 40, 400, 320, "latency ms (p50 solid, p99 light)", false);
        g.setColor(BASELINE);
        g.fillRect(50, 395, 12, 12);
        g.setColor(BRIDGE);
        g.fillRect(150, 395, 12, 12);
        g.setColor(Color.BLACK);
        g.drawString("baseline", 66, 405);
        g.drawString("bridge", 166, 405);
        g.dispose();
        return image;
    }

    private static void panel(Graphics2D g, List<ScenarioResult> results, int x, int y, int w, int h, String title, boolean throughput) {
        List<ScenarioResult> shown = results.stream().filter(s -> throughput
                || (s.summary(Scenario.Variant.BASELINE) != null && s.summary(Scenario.Variant.BASELINE).latencyP99() != null)
                || (s.summary(Scenario.Variant.BRIDGE) != null && s.summary(Scenario.Variant.BRIDGE).latencyP99() != null)).toList();
        double max = 0;
        for (ScenarioResult s : shown) {
            for (Scenario.Variant v : Scenario.Variant.values()) {
                ScenarioResult.VariantSummary summary = s.summary(v);
                if (summary != null) {
                    max = Math.max(max, throughput ? summary.recordsPerSecond().max()
                            : summary.latencyP99() == null ? 0 : summary.latencyP99().median());
                }
            }
        }
        max = max <= 0 ? 1 : max * 1.1;
        g.setColor(Color.BLACK);
        g.drawString(title, x, y - 12);
        g.drawLine(x, y, x, y + h);
        g.drawLine(x, y + h, x + w, y + h);
        for (int tick = 0; tick <= 4; tick++) {
            int ty = y + h - tick * h / 4;
            g.setColor(Color.LIGHT_GRAY);
            g.drawLine(x + 1, ty, x + w, ty);
            g.setColor(Color.BLACK);
            g.drawString(fmt(throughput ? "%,.0f" : "%.1f", max * tick / 4), x - 48, ty + 4);
        }
        if (shown.isEmpty()) {
            return;
        }
        int group = w / shown.size();
        int bar = Math.min(40, group / 3);
        for (int i = 0; i < shown.size(); i++) {
            ScenarioResult s = shown.get(i);
            int gx = x + i * group + group / 2 - bar;
            int j = 0;
            for (Scenario.Variant v : Scenario.Variant.values()) {
                ScenarioResult.VariantSummary summary = s.summary(v);
                int bx = gx + j++ * bar;
                if (summary == null) {
                    continue;
                }
                Color color = v == Scenario.Variant.BASELINE ? BASELINE : BRIDGE;
                if (throughput) {
                    bar(g, color, bx, bar, y, h, summary.recordsPerSecond().median() / max);
                    g.setColor(Color.BLACK);
                    g.setStroke(new BasicStroke(1.5f));
                    int top = y + h - (int) (summary.recordsPerSecond().max() / max * h);
                    int bottom = y + h - (int) (summary.recordsPerSecond().min() / max * h);
                    g.drawLine(bx + bar / 2, top, bx + bar / 2, bottom);
                    g.setStroke(new BasicStroke(1f));
                } else if (summary.latencyP99() != null) {
                    bar(g, color.brighter().brighter(), bx, bar, y, h, summary.latencyP99().median() / max);
                    bar(g, color, bx, bar, y, h, summary.latencyP50().median() / max);
                }
            }
            g.setColor(Color.BLACK);
            g.drawString(s.scenario(), x + i * group + 4, y + h + 16 + (i % 2) * 13);
        }
    }

    private static void bar(Graphics2D g, Color color, int bx, int width, int y, int h, double fraction) {
        int height = (int) Math.max(1, Math.min(1, fraction) * h);
        g.setColor(color);
        g.fillRect(bx + 2, y + h - height, width - 4, height);
    }
}
