package io.mailgate.incident;

import io.mailgate.api.ApiProblem;
import java.util.List;

/** Checks the cursor and limit query parameters and names the bad one. */
final class Paging {

    static final int MAX_LIMIT = 500;

    private Paging() {}

    static long after(String after) {
        if (after == null || after.isBlank()) {
            return 0;
        }
        try {
            long value = Long.parseLong(after.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiProblem.validation(List.of(
                new ApiProblem.FieldError("after", "must be a cursor returned as nextCursor (a non-negative number)")));
    }

    static int limit(Integer limit) {
        if (limit == null) {
            return 100;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiProblem.validation(List.of(new ApiProblem.FieldError("limit", "must be 1-" + MAX_LIMIT)));
        }
        return limit;
    }
}
