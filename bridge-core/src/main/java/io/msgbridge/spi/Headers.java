package io.msgbridge.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable, ordered message headers. A name may occur more than once (NATS headers are
 * multi-valued; Pulsar properties and NSQ have one value per name). Names compare exactly.
 */
public final class Headers {
    /** One header: a name and its value, neither null. */
    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    public static final Headers EMPTY = new Headers(List.of());

    private final List<Header> entries;

    private Headers(List<Header> entries) {
        this.entries = entries;
    }

    public static Headers of(List<Header> entries) {
        return entries.isEmpty() ? EMPTY : new Headers(List.copyOf(entries));
    }

    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        List<Header> list = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            list.add(new Header(namesAndValues[i], namesAndValues[i + 1]));
        }
        return of(list);
    }

    /** The first value of {@code name}, if any. */
    public Optional<String> first(String name) {
        for (Header h : entries) {
            if (h.name().equals(name)) {
                return Optional.of(h.value());
            }
        }
        return Optional.empty();
    }

    /** Every value of {@code name}, in order; empty when absent. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>(1);
        for (Header h : entries) {
            if (h.name().equals(name)) {
                values.add(h.value());
            }
        }
        return values;
    }

    /** A copy with {@code name} set to {@code value}, replacing every earlier value of that name. */
    public Headers with(String name, String value) {
        List<Header> list = new ArrayList<>(entries.size() + 1);
        for (Header h : entries) {
            if (!h.name().equals(name)) {
                list.add(h);
            }
        }
        list.add(new Header(name, value));
        return new Headers(Collections.unmodifiableList(list));
    }

    public List<Header> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
