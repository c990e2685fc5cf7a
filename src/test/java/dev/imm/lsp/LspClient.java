package dev.imm.lsp;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * An editor for tests: talks to {@code imm lsp} as a client would, over JSON-RPC on piped streams in
 * this process, and keeps what the server sends (diagnostics per document, log messages).
 */
final class LspClient implements LanguageClient, AutoCloseable {
    final LanguageServer server;
    final List<String> logs = new CopyOnWriteArrayList<>();
    private final Map<String, BlockingQueue<PublishDiagnosticsParams>> diagnostics = new ConcurrentHashMap<>();
    private final Future<Void> serving;
    private final Future<Void> listening;
    private final PipedOutputStream toServer;
    private int version;

    LspClient() {
        try {
            PipedInputStream serverIn = new PipedInputStream(1 << 20);
            toServer = new PipedOutputStream(serverIn);
            PipedInputStream clientIn = new PipedInputStream(1 << 20);
            PipedOutputStream toClient = new PipedOutputStream(clientIn);
            ImmLanguageServer imm = new ImmLanguageServer();
            Launcher<LanguageClient> serverSide = LSPLauncher.createServerLauncher(imm, serverIn, toClient);
            imm.connect(serverSide.getRemoteProxy());
            serving = serverSide.startListening();
            Launcher<LanguageServer> clientSide = LSPLauncher.createClientLauncher(this, clientIn, toServer);
            server = clientSide.getRemoteProxy();
            listening = clientSide.startListening();
            server.initialize(new InitializeParams() {
                {
                    setCapabilities(new ClientCapabilities());
                }
            }).get(10, TimeUnit.SECONDS);
            server.initialized(new InitializedParams());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String uri(Path file) {
        return file.toAbsolutePath().normalize().toUri().toString();
    }

    void open(Path file, String text) {
        server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri(file), "imm", ++version, text)));
    }

    void replace(Path file, String text) {
        server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri(file), ++version),
                List.of(new TextDocumentContentChangeEvent(text))));
    }

    void change(Path file, TextDocumentContentChangeEvent change) {
        server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri(file), ++version),
                List.of(change)));
    }

    /** The next diagnostics the server publishes for {@code file}, waiting up to 10 s. */
    PublishDiagnosticsParams nextDiagnostics(Path file) throws InterruptedException {
        PublishDiagnosticsParams p = queue(uri(file)).poll(10, TimeUnit.SECONDS);
        if (p == null) {
            throw new AssertionError("no diagnostics published for " + file);
        }
        return p;
    }

    void clearDiagnostics() {
        diagnostics.clear();
    }

    private BlockingQueue<PublishDiagnosticsParams> queue(String uri) {
        return diagnostics.computeIfAbsent(uri, u -> new LinkedBlockingQueue<>());
    }

    @Override
    public void publishDiagnostics(PublishDiagnosticsParams params) {
        queue(params.getUri()).add(params);
    }

    @Override
    public void logMessage(MessageParams message) {
        logs.add(message.getMessage());
    }

    @Override
    public void telemetryEvent(Object object) {
    }

    @Override
    public void showMessage(MessageParams messageParams) {
        logs.add(messageParams.getMessage());
    }

    @Override
    public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams requestParams) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() throws Exception {
        server.shutdown().get(10, TimeUnit.SECONDS);
        server.exit();
        toServer.close();
        serving.cancel(true);
        listening.cancel(true);
    }
}
