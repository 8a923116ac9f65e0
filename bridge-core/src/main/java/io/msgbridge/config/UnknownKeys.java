package io.msgbridge.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** The message for a key nobody reads: the key, the closest known key if it looks like a typo, and all known keys. */
final class UnknownKeys {
    private UnknownKeys() {
    }

    static String message(String key, Collection<String> known) {
        String hint = closest(key, known).map(k -> " (did you mean \"" + k + "\"?)").orElse("");
        return "unknown key \"" + key + "\"" + hint + "; allowed: " + Conversions.list(known);
    }

    private static Optional<String> closest(String key, Collection<String> known) {
        int limit = key.length() <= 3 ? 1 : 2;
        return known.stream()
                .filter(k -> distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT)) <= limit)
                .min(Comparator.comparingInt(k -> distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT))));
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
