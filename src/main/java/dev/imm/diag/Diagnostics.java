package dev.imm.diag;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * A growing collection of diagnostics that phases append to and return beside their result. Reading it
 * gives the diagnostics sorted by file and position, with exact duplicates dropped.
 */
public final class Diagnostics implements Iterable<Diagnostic> {
    private final List<Diagnostic> items = new ArrayList<>();

    public Diagnostics add(Diagnostic diagnostic) {
        items.add(diagnostic);
        return this;
    }

    public Diagnostics addAll(Iterable<Diagnostic> diagnostics) {
        for (Diagnostic d : diagnostics) {
            items.add(d);
        }
        return this;
    }

    public Diagnostic error(SourceRange subject, String summary, String hint, String detail) {
        Diagnostic d = new Diagnostic(Severity.ERROR, summary, detail, hint, subject);
        items.add(d);
        return d;
    }

    public boolean hasErrors() {
        for (Diagnostic d : items) {
            if (d.isError()) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public int size() {
        return sorted().size();
    }

    /** The diagnostics in file and position order, without exact duplicates. */
    public List<Diagnostic> sorted() {
        List<Diagnostic> copy = new ArrayList<>(new java.util.LinkedHashSet<>(items));
        copy.sort(Diagnostic.ORDER);
        return Collections.unmodifiableList(copy);
    }

    public static List<Diagnostic> sorted(Collection<Diagnostic> diagnostics) {
        return new Diagnostics().addAll(diagnostics).sorted();
    }

    @Override
    public Iterator<Diagnostic> iterator() {
        return sorted().iterator();
    }
}
