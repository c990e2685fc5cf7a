package dev.imm.engine;

import dev.imm.state.Revision;

/**
 * One apply in a stack's history: the revision that ends it, when, who, how it ended
 * ({@code succeeded}, {@code failed}, {@code rolled-back}; {@code in-progress} while it runs, holding the
 * lock, and {@code interrupted} when it was stopped before it finished)
 * its summary line, and why it did not succeed ({@code fleet.web: …}; empty when it did).
 */
public record ApplyRecord(String applyId, Revision revision, long timeMillis, String author, String status, String summary,
                          String reason) {
}
