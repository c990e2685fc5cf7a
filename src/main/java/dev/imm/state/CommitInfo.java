package dev.imm.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a state commit says about itself: a one-line summary, an optional body, trailers in the order given
 * ({@link CommitMessage#APPLY}, {@link CommitMessage#STATUS}, …; the store adds {@link CommitMessage#SERIAL}),
 * the author, and the time (epoch ms). See {@link CommitMessage} for the text this becomes.
 */
public record CommitInfo(String summary, String body, Map<String, String> trailers, String authorName,
                         String authorEmail, long timeMillis) {
    public CommitInfo {
        body = body == null ? "" : body;
        trailers = Collections.unmodifiableMap(new LinkedHashMap<>(trailers));
        CommitMessage.check(summary, trailers);
    }
}
