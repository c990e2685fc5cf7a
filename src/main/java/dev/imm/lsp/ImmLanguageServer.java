package dev.imm.lsp;

import dev.imm.diag.Severity;
import dev.imm.diag.SourceFile;
import dev.imm.lang.Attribute;
import dev.imm.lang.Block;
import dev.imm.lang.BodyItem;
import dev.imm.lang.ConfigFile;
import dev.imm.lang.Formatter;
import dev.imm.lang.Import;
import dev.imm.lang.ParseResult;
import dev.imm.lang.Parser;
import dev.imm.value.Values;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionOptions;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticRelatedInformation;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ReferenceParams;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.SymbolInformation;
import org.eclipse.lsp4j.SymbolKind;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.eclipse.lsp4j.services.WorkspaceService;

/**
 * {@code imm lsp}: the language server. A stack is the directory of a document, analysed as
 * {@code imm validate} does with the open documents standing in for their files, again after each change
 * (debounced); its diagnostics are published for every file of the stack. Requests (completion, hover,
 * definition, references, symbols, formatting, quick fixes) answer from the latest analysis. Nothing a
 * user types can make a request fail: an internal error answers with nothing and is logged to the client.
 */
public final class ImmLanguageServer implements LanguageServer, LanguageClientAware, TextDocumentService, WorkspaceService {
    /** How long after the last change the stack is analysed again and its diagnostics published. */
    static final long DEBOUNCE_MILLIS = 50;
    private static final Pattern DID_YOU_MEAN = Pattern.compile("did you mean \"([^\"]+)\"\\?");

    private final Documents documents = new Documents();
    private final ParseCache parses = new ParseCache();
    private final Map<Path, StackAnalysis> analyses = new HashMap<>();
    private final Map<Path, Set<String>> published = new HashMap<>();
    private final Map<Path, ScheduledFuture<?>> pending = new HashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "imm-lsp-diagnostics");
        t.setDaemon(true);
        return t;
    });
    private LanguageClient client;
    /** Counts changes: an analysis begun before the latest change is not kept. */
    private long generation;
    private boolean shutDown;
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();

    /** Completes with the exit code once the client sent {@code exit}: 0 after {@code shutdown}, else 1. */
    CompletableFuture<Integer> exited() {
        return exited;
    }

    @Override
    public void connect(LanguageClient client) {
        this.client = client;
    }

    @Override
    public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
        ServerCapabilities capabilities = new ServerCapabilities();
        capabilities.setTextDocumentSync(TextDocumentSyncKind.Incremental);
        capabilities.setCompletionProvider(new CompletionOptions(false, List.of(".", "\"")));
        capabilities.setHoverProvider(true);
        capabilities.setDefinitionProvider(true);
        capabilities.setReferencesProvider(true);
        capabilities.setDocumentSymbolProvider(true);
        capabilities.setDocumentFormattingProvider(true);
        capabilities.setCodeActionProvider(true);
        return CompletableFuture.completedFuture(new InitializeResult(capabilities, new ServerInfo("imm")));
    }

    @Override
    public synchronized CompletableFuture<Object> shutdown() {
        shutDown = true;
        scheduler.shutdownNow();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized void exit() {
        scheduler.shutdownNow();
        exited.complete(shutDown ? 0 : 1);
    }

    @Override
    public TextDocumentService getTextDocumentService() {
        return this;
    }

    @Override
    public WorkspaceService getWorkspaceService() {
        return this;
    }

    // ---- documents ----

    @Override
    public void didOpen(DidOpenTextDocumentParams params) {
        guard("didOpen", () -> {
            documents.open(params.getTextDocument().getUri(), params.getTextDocument().getText());
            changed(Documents.path(params.getTextDocument().getUri()), 0);
        });
    }

    @Override
    public void didChange(DidChangeTextDocumentParams params) {
        guard("didChange", () -> {
            documents.change(params.getTextDocument().getUri(), params.getContentChanges());
            changed(Documents.path(params.getTextDocument().getUri()), DEBOUNCE_MILLIS);
        });
    }

    @Override
    public void didClose(DidCloseTextDocumentParams params) {
        guard("didClose", () -> {
            documents.close(params.getTextDocument().getUri());
            changed(Documents.path(params.getTextDocument().getUri()), 0);
        });
    }

    @Override
    public void didSave(DidSaveTextDocumentParams params) {
        guard("didSave", () -> changed(Documents.path(params.getTextDocument().getUri()), 0));
    }

    @Override
    public void didChangeConfiguration(DidChangeConfigurationParams params) {
    }

    @Override
    public void didChangeWatchedFiles(DidChangeWatchedFilesParams params) {
        guard("didChangeWatchedFiles", () -> params.getChanges().forEach(c -> changed(Documents.path(c.getUri()), DEBOUNCE_MILLIS)));
    }

    /**
     * The stack of a changed file, and every stack that imports it, is analysed again after {@code delay},
     * and its diagnostics published. Documents that are not files of a stack are ignored.
     */
    private synchronized void changed(Path file, long delay) {
        if (file == null || shutDown) {
            return;
        }
        generation++;
        Set<Path> stacks = new HashSet<>();
        stacks.add(file.getParent());
        analyses.forEach((dir, a) -> {
            if (a.reads(file)) {
                stacks.add(dir);
            }
        });
        for (Path stack : stacks) {
            analyses.remove(stack);
            ScheduledFuture<?> before = pending.remove(stack);
            if (before != null) {
                before.cancel(false);
            }
            pending.put(stack, scheduler.schedule(() -> guard("diagnostics", () -> publish(stack)), delay, TimeUnit.MILLISECONDS));
        }
    }

    /**
     * The stack's analysis with the documents as they are now. It is made outside the lock, so that
     * typing never waits for an analysis, and kept only if no change came in meanwhile.
     */
    private StackAnalysis analysis(Path stack) {
        long started;
        Map<Path, String> overlay;
        synchronized (this) {
            StackAnalysis cached = analyses.get(stack);
            if (cached != null) {
                return cached;
            }
            started = generation;
            overlay = documents.overlay();
        }
        StackAnalysis fresh = StackAnalysis.of(stack, overlay, parses);
        synchronized (this) {
            if (generation == started) {
                analyses.put(stack, fresh);
            }
        }
        return fresh;
    }

    /**
     * Publishes the stack's diagnostics, one list per file of the stack (empty for a file without any),
     * and empty lists for files that had some before and are no longer part of it.
     */
    private void publish(Path stack) {
        StackAnalysis analysis = analysis(stack);
        Map<String, List<Diagnostic>> byUri = new LinkedHashMap<>();
        if (analysis.root != null) {
            for (ConfigFile f : analysis.root.files()) {
                byUri.put(analysis.fileOf(f.path()).toUri().toString(), new ArrayList<>());
            }
        }
        for (dev.imm.diag.Diagnostic d : analysis.diagnostics) {
            Path file = d.subject() == null ? firstFile(analysis) : analysis.fileOf(d.subject().path());
            if (file == null) {
                continue;
            }
            String text = d.subject() == null ? null : text(analysis, d.subject().path(), file);
            Range range = d.subject() == null || text == null ? new Range(new Position(0, 0), new Position(0, 0))
                    : Positions.range(text, d.subject());
            Diagnostic out = diagnostic(d, range);
            List<DiagnosticRelatedInformation> related = new ArrayList<>();
            for (dev.imm.diag.Diagnostic.Related r : d.related()) {
                location(analysis, r.range()).ifPresent(l -> related.add(new DiagnosticRelatedInformation(l, r.message())));
            }
            if (!related.isEmpty()) {
                out.setRelatedInformation(related);
            }
            byUri.computeIfAbsent(file.toUri().toString(), k -> new ArrayList<>()).add(out);
        }
        Set<String> now = new HashSet<>(byUri.keySet());
        synchronized (this) {
            for (String uri : published.getOrDefault(stack, Set.of())) {
                byUri.putIfAbsent(uri, List.of());
            }
            published.put(stack, now);
        }
        if (client != null) {
            byUri.forEach((uri, list) -> client.publishDiagnostics(new PublishDiagnosticsParams(uri, list)));
        }
    }

    private static Path firstFile(StackAnalysis analysis) {
        return analysis.root == null || analysis.root.files().isEmpty() ? null : analysis.fileOf(analysis.root.files().get(0).path());
    }

    /**
     * The text a range of the analysis is about: the text that was analysed (so positions match what the
     * diagnostics were made from), else the open document, else nothing.
     */
    private String text(StackAnalysis analysis, String displayPath, Path file) {
        return analysis.source(displayPath).map(SourceFile::text).orElseGet(() -> documents.text(file));
    }

    /** A diagnostic as editors show it: the summary, then the hint and the detail on lines of their own. */
    static Diagnostic diagnostic(dev.imm.diag.Diagnostic d, Range range) {
        StringBuilder message = new StringBuilder(d.summary());
        if (!d.hint().isEmpty()) {
            message.append('\n').append(d.hint());
        }
        if (!d.detail().isEmpty()) {
            message.append('\n').append(d.detail());
        }
        return new Diagnostic(range, message.toString(), d.severity() == Severity.ERROR ? DiagnosticSeverity.Error
                : DiagnosticSeverity.Warning, "imm");
    }

    // ---- requests ----

    /** A document being edited: its stack's analysis, its tree, and its text. */
    private record Open(StackAnalysis stack, ConfigFile file, SourceFile source, String text) {
    }

    private Optional<Open> open(String uri) {
        Path path = Documents.path(uri);
        if (path == null) {
            return Optional.empty();
        }
        StackAnalysis stack = analysis(path.getParent());
        String text = documents.text(path);
        if (text == null) {
            try {
                text = Files.readString(path);
            } catch (java.io.IOException e) {
                return Optional.empty();
            }
        }
        SourceFile source = new SourceFile(stack.displayPath(path), text);
        ConfigFile file = stack.file(path).orElseGet(() -> Parser.parse(source).file());
        return Optional.of(new Open(stack, file, source, text));
    }

    @Override
    public CompletableFuture<Either<List<CompletionItem>, CompletionList>> completion(CompletionParams params) {
        return answer("completion", () -> {
            List<CompletionItem> items = open(params.getTextDocument().getUri())
                    .map(o -> Completions.at(o.source(), params.getPosition(), o.stack().scope()))
                    .orElse(List.of());
            return Either.forLeft(items);
        }, Either.forLeft(List.of()));
    }

    @Override
    public CompletableFuture<Hover> hover(HoverParams params) {
        return answer("hover", () -> open(params.getTextDocument().getUri())
                .flatMap(o -> Hovers.at(o.stack(), o.file(), o.source(), Positions.offset(o.text(), params.getPosition())))
                .map(text -> new Hover(new MarkupContent(MarkupKind.MARKDOWN, text)))
                .orElse(null), null);
    }

    @Override
    public CompletableFuture<Either<List<? extends Location>, List<? extends LocationLink>>> definition(DefinitionParams params) {
        return answer("definition", () -> {
            List<Location> found = new ArrayList<>();
            open(params.getTextDocument().getUri()).ifPresent(o -> {
                int offset = Positions.offset(o.text(), params.getPosition());
                o.stack().siteAt(o.file().path(), offset).flatMap(s -> o.stack().declaration(s.key()))
                        .flatMap(d -> location(o.stack(), d.range())).ifPresent(found::add);
                if (found.isEmpty()) {
                    importAt(o, offset).ifPresent(found::add);
                }
            });
            return Either.forLeft(found);
        }, Either.forLeft(List.of()));
    }

    /** The file an import at {@code offset} reads, as a location at its start. */
    private Optional<Location> importAt(Open o, int offset) {
        for (Import i : o.file().imports()) {
            if (Positions.contains(i.pathRange(), offset)) {
                String alias = i.alias() != null ? i.alias() : dev.imm.eval.ModuleLoader.defaultAlias(i.path());
                if (alias == null) {
                    return Optional.empty();
                }
                return o.stack().imported(alias).filter(m -> !m.files().isEmpty())
                        .map(m -> o.stack().fileOf(m.files().get(0).path()))
                        .map(p -> new Location(p.toUri().toString(), new Range(new Position(0, 0), new Position(0, 0))));
            }
        }
        return Optional.empty();
    }

    @Override
    public CompletableFuture<List<? extends Location>> references(ReferenceParams params) {
        return answer("references", () -> {
            List<Location> found = new ArrayList<>();
            open(params.getTextDocument().getUri()).ifPresent(o -> {
                Optional<StackAnalysis.Site> site = o.stack().siteAt(o.file().path(), Positions.offset(o.text(), params.getPosition()));
                site.ifPresent(s -> {
                    if (params.getContext() == null || params.getContext().isIncludeDeclaration()) {
                        o.stack().declaration(s.key()).flatMap(d -> location(o.stack(), d.range())).ifPresent(found::add);
                    }
                    o.stack().referencesTo(s.key()).forEach(r -> location(o.stack(), r.range()).ifPresent(found::add));
                });
            });
            return found;
        }, List.of());
    }

    private Optional<Location> location(StackAnalysis stack, dev.imm.diag.SourceRange range) {
        Path file = stack.fileOf(range.path());
        if (file == null) {
            return Optional.empty();
        }
        String text = text(stack, range.path(), file);
        return text == null ? Optional.empty() : Optional.of(new Location(file.toUri().toString(), Positions.range(text, range)));
    }

    @Override
    public CompletableFuture<List<Either<SymbolInformation, DocumentSymbol>>> documentSymbol(DocumentSymbolParams params) {
        return answer("documentSymbol", () -> {
            List<Either<SymbolInformation, DocumentSymbol>> symbols = new ArrayList<>();
            open(params.getTextDocument().getUri()).ifPresent(o -> {
                for (BodyItem item : o.file().items()) {
                    symbol(item, o.text()).ifPresent(s -> symbols.add(Either.forRight(s)));
                }
            });
            return symbols;
        }, List.of());
    }

    private static Optional<DocumentSymbol> symbol(BodyItem item, String text) {
        if (item instanceof Attribute a) {
            return Optional.of(new DocumentSymbol(a.name(), SymbolKind.Property, Positions.range(text, a.range()),
                    Positions.range(text, a.nameRange())));
        }
        if (!(item instanceof Block b)) {
            return Optional.empty();
        }
        String name = b.type() + b.labels().stream().map(l -> " \"" + l.value() + "\"").reduce("", String::concat);
        SymbolKind kind = switch (b.type()) {
            case "image" -> SymbolKind.Class;
            case "fleet" -> SymbolKind.Object;
            case "rollout", "component" -> SymbolKind.Struct;
            case "variable" -> SymbolKind.Variable;
            case "output" -> SymbolKind.Property;
            case "locals" -> SymbolKind.Namespace;
            case "check" -> SymbolKind.Event;
            default -> SymbolKind.Module;
        };
        DocumentSymbol symbol = new DocumentSymbol(name, kind, Positions.range(text, b.range()),
                Positions.range(text, b.labels().isEmpty() ? b.typeRange() : b.labels().get(0).range()));
        List<DocumentSymbol> children = new ArrayList<>();
        b.body().forEach(child -> symbol(child, text).ifPresent(children::add));
        symbol.setChildren(children);
        return Optional.of(symbol);
    }

    @Override
    public CompletableFuture<List<? extends TextEdit>> formatting(DocumentFormattingParams params) {
        return answer("formatting", () -> {
            Optional<Open> o = open(params.getTextDocument().getUri());
            if (o.isEmpty()) {
                return List.of();
            }
            ParseResult parsed = Parser.parse(o.get().source());
            if (parsed.hasErrors()) {
                return List.of(); // as imm fmt: a file with syntax errors is left as it is
            }
            String formatted = Formatter.format(o.get().source());
            if (formatted.equals(o.get().text()) || !Formatter.sameMeaning(parsed, new SourceFile(o.get().source().path(), formatted))) {
                return List.of();
            }
            return List.of(new TextEdit(new Range(new Position(0, 0), Positions.end(o.get().text())), formatted));
        }, List.of());
    }

    @Override
    public CompletableFuture<List<Either<Command, CodeAction>>> codeAction(CodeActionParams params) {
        return answer("codeAction", () -> {
            List<Either<Command, CodeAction>> actions = new ArrayList<>();
            Path path = Documents.path(params.getTextDocument().getUri());
            String text = path == null ? null : documents.text(path);
            for (Diagnostic d : params.getContext().getDiagnostics()) {
                Matcher m = DID_YOU_MEAN.matcher(d.getMessage());
                if (text == null || !m.find()) {
                    continue;
                }
                String was = text.substring(Positions.index(text, d.getRange().getStart()), Positions.index(text, d.getRange().getEnd()));
                String now = replacement(was, m.group(1));
                if (now == null) {
                    continue;
                }
                CodeAction fix = new CodeAction("Change to \"" + m.group(1) + "\"");
                fix.setKind(CodeActionKind.QuickFix);
                fix.setDiagnostics(List.of(d));
                fix.setIsPreferred(true);
                fix.setEdit(new WorkspaceEdit(Map.of(params.getTextDocument().getUri(), List.of(new TextEdit(d.getRange(), now)))));
                actions.add(Either.forRight(fix));
            }
            return actions;
        }, List.of());
    }

    /**
     * What replaces a diagnostic's text to apply a suggestion: the name itself, the last part of a
     * reference ({@code var.enx} becomes {@code var.env}), or a string's content with its quotes kept;
     * null when the text is none of these (no fix is offered).
     */
    static String replacement(String was, String suggested) {
        if (was.length() >= 2 && was.startsWith("\"") && was.endsWith("\"")) {
            return "\"" + suggested + "\"";
        }
        if (Values.isIdentifier(was)) {
            return suggested;
        }
        if (was.contains(".") && Arrays.stream(was.split("\\.", -1)).allMatch(Values::isIdentifier) && !suggested.contains(".")) {
            return was.substring(0, was.lastIndexOf('.') + 1) + suggested;
        }
        return null;
    }

    // ---- never crash ----

    private <T> CompletableFuture<T> answer(String request, Supplier<T> work, T nothing) {
        try {
            return CompletableFuture.completedFuture(work.get());
        } catch (RuntimeException | StackOverflowError e) {
            logInternalError(request, e);
            return CompletableFuture.completedFuture(nothing);
        }
    }

    private void guard(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException | StackOverflowError e) {
            logInternalError(what, e);
        }
    }

    private void logInternalError(String what, Throwable e) {
        if (client != null) {
            client.logMessage(new MessageParams(MessageType.Error, "imm lsp: internal error in " + what + ": " + e
                    + " (this is a bug in imm; please report it with the file)"));
        }
    }
}
