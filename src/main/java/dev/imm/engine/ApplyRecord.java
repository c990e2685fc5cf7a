package dev.imm.engine;

import dev.imm.state.Revision;

/**
 * One apply in a stack's history: the revision that ends it, when, who, how it ended
 * ({@code succeeded}, {@code failed}, {@code rolled-back}, or {@code in-progress} if it never finished)
 * its summary line, and why it did not succeed ({@code fleet.web: …}; empty when it did).
 */
public record ApplyRecord(String applyId, Revision revision, long timeMillis, String author, String status, String summary,
                          String reason) {
}
