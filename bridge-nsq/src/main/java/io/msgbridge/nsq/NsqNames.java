package io.msgbridge.nsq;

import java.util.regex.Pattern;

/** NSQ's rule for topic and channel names: {@code [.a-zA-Z0-9_-]}, 1 to 64 characters, optionally {@code #ephemeral}. */
final class NsqNames {
    private static final Pattern NAME = Pattern.compile("^[.a-zA-Z0-9_-]+(#ephemeral)?$");
    static final String RULE = "must be 1-64 characters of [.a-zA-Z0-9_-], optionally ending in #ephemeral";

    private NsqNames() {
    }

    static boolean valid(String name) {
        return name != null && !name.isEmpty() && name.length() <= 64 && NAME.matcher(name).matches();
    }
}
