package io.msgbridge.config;

/** Reads a pipeline's {@code key:}: native, header:NAME, json:/POINTER, subject, topic or none. */
final class KeySpecs {
    private static final String RULE =
            "must be native, header:NAME, json:/POINTER (such as json:/order_id), subject, topic or none";
    private static final String HEADER = "header:";
    private static final String JSON = "json:";

    private KeySpecs() {
    }

    static Parsed<KeySpec> parse(String text) {
        switch (text) {
            case "native":
                return Parsed.ok(new KeySpec.Native());
            case "subject", "topic":
                return Parsed.ok(new KeySpec.Topic());
            case "none":
                return Parsed.ok(new KeySpec.None());
            default:
                break;
        }
        if (text.startsWith(HEADER)) {
            String name = text.substring(HEADER.length());
            return name.isBlank() ? Parsed.invalid("must name a header after header:, such as header:tenant-id")
                    : Parsed.ok(new KeySpec.Header(name));
        }
        if (text.startsWith(JSON)) {
            String pointer = text.substring(JSON.length());
            return isJsonPointer(pointer) ? Parsed.ok(new KeySpec.JsonPointer(pointer))
                    : Parsed.invalid("must be a JSON Pointer after json:, starting with / such as json:/order_id "
                    + "(write ~0 for ~ and ~1 for / in a field name)");
        }
        return Parsed.invalid(RULE);
    }

    /** RFC 6901, not counting the empty pointer (the whole document is not a key). */
    private static boolean isJsonPointer(String pointer) {
        if (!pointer.startsWith("/")) {
            return false;
        }
        for (int i = 0; i < pointer.length(); i++) {
            if (pointer.charAt(i) == '~'
                    && (i + 1 >= pointer.length() || (pointer.charAt(i + 1) != '0' && pointer.charAt(i + 1) != '1'))) {
                return false;
            }
        }
        return true;
    }
}
