package io.msgbridge.runtime;

import io.msgbridge.config.BridgeConfig;
import io.msgbridge.config.HttpConfig;
import io.msgbridge.config.PipelineConfig;
import io.msgbridge.offsets.OffsetStores;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a reload does: which pipelines it leaves alone, restarts with a changed config, adds and
 * removes, and which changes it cannot apply to a running daemon.
 *
 * @param unchanged     pipelines whose config is equal: they keep running untouched
 * @param restarted     pipelines whose config changed: stopped, then started with the new config
 * @param added         pipelines new in the file
 * @param removed       pipelines no longer in the file: stopped
 * @param restartNeeded one message per change outside the pipelines that needs the daemon restarted
 */
public record Reload(List<String> unchanged, List<String> restarted, List<String> added, List<String> removed,
                     List<String> restartNeeded) {
    /** The reload of a daemon that is stopping: nothing done. */
    static final Reload NOT_APPLIED = new Reload(List.of(), List.of(), List.of(), List.of(), List.of());

    public Reload {
        unchanged = List.copyOf(unchanged);
        restarted = List.copyOf(restarted);
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        restartNeeded = List.copyOf(restartNeeded);
    }

    /** Compares what runs now (started from {@code current}) with the new file, by value. */
    static Reload plan(BridgeConfig current, BridgeConfig next, List<PipelineConfig> running) {
        Map<String, PipelineConfig> wanted = next.pipelines().stream()
                .collect(Collectors.toMap(PipelineConfig::name, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        List<String> unchanged = new ArrayList<>();
        List<String> restarted = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (PipelineConfig now : running) {
            PipelineConfig then = wanted.remove(now.name());
            if (then == null) {
                removed.add(now.name());
            } else if (then.equals(now)) {
                unchanged.add(now.name());
            } else {
                restarted.add(now.name());
            }
        }
        return new Reload(unchanged, restarted, List.copyOf(wanted.keySet()), removed, restartNeeded(current, next));
    }

    /** The pipelines the reload stops: the restarted ones, then the removed ones. */
    List<String> stopping() {
        List<String> names = new ArrayList<>(restarted);
        names.addAll(removed);
        return names;
    }

    /** The config the daemon runs after this reload: the new pipelines, the rest as it started. */
    BridgeConfig applied(BridgeConfig current, BridgeConfig next) {
        return new BridgeConfig(next.file(), current.offsets(), current.http(), current.shutdownTimeout(),
                current.memory(), next.pipelines());
    }

    /** For the log: {@code 1 restarted (orders), 0 added, 0 removed, 2 unchanged (a, b)}. */
    public String summary() {
        return part(restarted, "restarted") + ", " + part(added, "added") + ", " + part(removed, "removed") + ", "
                + part(unchanged, "unchanged");
    }

    private static String part(List<String> names, String what) {
        return names.size() + " " + what + (names.isEmpty() ? "" : " (" + String.join(", ", names) + ")");
    }

    private static List<String> restartNeeded(BridgeConfig current, BridgeConfig next) {
        List<String> messages = new ArrayList<>();
        String notApplied = "; not applied: restart the daemon to apply it";
        if (!OffsetStores.sameStore(current.offsets(), next.offsets())) {
            messages.add("offsets: the offset store's settings changed; the pipelines keep the store they started with"
                    + notApplied);
        } else if (!current.offsets().leaseTtl()
                .equals(next.offsets().leaseTtl())) {
            messages.add("offsets.commit-interval: the lease time it sets changed from "
                    + format(current.offsets().leaseTtl()) + " to "
                    + format(next.offsets().leaseTtl())
                    + " (pipelines that take their commit interval from it use the new one)" + notApplied);
        }
        if (!current.http().equals(next.http())) {
            String change = describe(current.http()).equals(describe(next.http())) ? "http.admin-token: changed"
                    : "http: changed from " + describe(current.http()) + " to " + describe(next.http());
            messages.add(change + "; the endpoint stays as it is" + notApplied);
        }
        if (!current.shutdownTimeout().equals(next.shutdownTimeout())) {
            messages.add("shutdown-timeout: changed from " + format(current.shutdownTimeout()) + " to "
                    + format(next.shutdownTimeout()) + notApplied);
        }
        if (!current.memory().equals(next.memory())) {
            messages.add("memory: changed from " + current.memory().text() + " to " + next.memory().text()
                    + "; the budget stays as it is" + notApplied);
        }
        return messages;
    }

    private static String describe(HttpConfig http) {
        return http.enabled() ? "listen " + http.host() + ":" + http.port() : "disabled";
    }

    /** A duration as the config file writes it: {@code 30s}, {@code 1500ms}. */
    private static String format(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
