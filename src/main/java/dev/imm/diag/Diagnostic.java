package dev.imm.diag;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A problem found in a user's input, as a value. The summary is short and has no trailing period; the
 * hint is a few words printed under the source (for example {@code did you mean "instance_type"?}); the
 * detail is full sentences that say what to do. The subject is the range the problem is about, or null for
 * a problem that belongs to no source text (a missing directory, a bad command-line value).
 * {@code related} are other places the problem involves (where a name was first declared, the other
 * blocks of a cycle), for editors to link to; the terminal renderer names them in the hint instead.
 */
public record Diagnostic(Severity severity, String summary, String detail, String hint, SourceRange subject,
                         List<Related> related) {

    /** Another place a diagnostic involves, and what it is to it ({@code first declared here}). */
    public record Related(SourceRange range, String message) {
    }

    public Diagnostic(Severity severity, String summary, String detail, String hint, SourceRange subject) {
        this(severity, summary, detail, hint, subject, List.of());
    }

    /**
     * Orders by file and position; diagnostics without a subject come first, then by summary. Written
     * out rather than composed from Comparator's factories, whose lambdas are linked as the class is
     * first used: a tenth of a short command's parse (bench/README.md).
     */
    public static final Comparator<Diagnostic> ORDER = new Comparator<>() {
        @Override
        public int compare(Diagnostic a, Diagnostic b) {
            if (a.subject == null || b.subject == null) {
                if (a.subject != b.subject) {
                    return a.subject == null ? -1 : 1;
                }
            } else {
                int bySubject = a.subject.compareTo(b.subject);
                if (bySubject != 0) {
                    return bySubject;
                }
            }
            return a.summary.compareTo(b.summary);
        }
    };

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(summary, "summary");
        detail = detail == null ? "" : detail;
        hint = hint == null ? "" : hint;
        related = related == null ? List.of() : List.copyOf(related);
    }

    public static Diagnostic error(SourceRange subject, String summary) {
        return new Diagnostic(Severity.ERROR, summary, "", "", subject);
    }

    public static Diagnostic warning(SourceRange subject, String summary) {
        return new Diagnostic(Severity.WARNING, summary, "", "", subject);
    }

    public Diagnostic withHint(String newHint) {
        return new Diagnostic(severity, summary, detail, newHint, subject, related);
    }

    public Diagnostic withDetail(String newDetail) {
        return new Diagnostic(severity, summary, newDetail, hint, subject, related);
    }

    public Diagnostic withRelated(List<Related> places) {
        return new Diagnostic(severity, summary, detail, hint, subject, places);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
