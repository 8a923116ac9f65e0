package io.msgbridge.config;

/** How YAML paths are written in problems: {@code pipelines[2].retry.backoff}. */
final class ConfigPaths {
    private ConfigPaths() {
    }

    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String item(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
