package io.mailgate.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header block of a message or body part, as read by {@link HeaderBlockReader}.
 *
 * @param fields     every line group of the block in order, malformed lines (no colon) included
 * @param bodyOffset bytes from the start of the stream to the first byte of the body
 */
record HeaderBlock(List<Field> fields, long bodyOffset) {

    /** One unfolded header field. {@code wellFormed} is false for a line that is not "name: value". */
    record Field(String name, String value, boolean wellFormed) {}

    HeaderBlock {
        fields = List.copyOf(fields);
    }

    /** The well-formed fields as public {@link Header}s. */
    List<Header> headers() {
        List<Header> headers = new ArrayList<>(fields.size());
        for (Field field : fields) {
            if (field.wellFormed()) {
                headers.add(new Header(field.name(), field.value()));
            }
        }
        return headers;
    }

    /** Value of the first field with this name (case-insensitive), or null. */
    String first(String name) {
        for (Field field : fields) {
            if (field.wellFormed() && field.name().equalsIgnoreCase(name)) {
                return field.value();
            }
        }
        return null;
    }

    /** Values of all fields with this name, in order. */
    List<String> all(String name) {
        List<String> values = new ArrayList<>();
        String lower = name.toLowerCase(Locale.ROOT);
        for (Field field : fields) {
            if (field.wellFormed() && field.name().toLowerCase(Locale.ROOT).equals(lower)) {
                values.add(field.value());
            }
        }
        return values;
    }
}
