import dev.imm.lsp.ImmLanguageServer;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * Language server latency on a generated stack (bench/plan-apply/generate.sh N), as an editor sees it:
 * the server and a client in one process over JSON-RPC on pipes. Measures the time from a one-character
 * edit to the stack's diagnostics for the edited file (which includes the server's 50 ms debounce),
 * completion after {@code image.}, and hover on a reference.
 *
 * Run: ./imm version >/dev/null && bench/plan-apply/generate.sh 2000 /tmp/lsp && \
 *      java -cp target/imm.jar bench/LspBench.java /tmp/lsp/imm
 */
public final class LspBench implements LanguageClient {
    private static final int WARMUP_ROUNDS = 15;
    private static final int MEASURED_ROUNDS = 31;
    private final BlockingQueue<PublishDiagnosticsParams> published = new LinkedBlockingQueue<>();

    public static void main(String[] args) throws Exception {
        Path stack = Path.of(args.length > 0 ? args[0] : "/tmp/lsp/imm").toAbsolutePath().normalize();
        Path file = stack.resolve("fleets-000.imm");
        String uri = file.toUri().toString();
        LspBench client = new LspBench();
        PipedInputStream serverIn = new PipedInputStream(1 << 20);
        PipedOutputStream toServer = new PipedOutputStream(serverIn);
        PipedInputStream clientIn = new PipedInputStream(1 << 20);
        PipedOutputStream toClient = new PipedOutputStream(clientIn);
        ImmLanguageServer imm = new ImmLanguageServer();
        Launcher<LanguageClient> serverSide = LSPLauncher.createServerLauncher(imm, serverIn, toClient);
        imm.connect(serverSide.getRemoteProxy());
        serverSide.startListening();
        Launcher<LanguageServer> clientSide = LSPLauncher.createClientLauncher(client, clientIn, toServer);
        LanguageServer server = clientSide.getRemoteProxy();
        clientSide.startListening();
        InitializeParams init = new InitializeParams();
        init.setCapabilities(new ClientCapabilities());
        server.initialize(init).get();
        server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "imm", 1, Files.readString(file))));
        client.waitFor(uri);

        // line 7 is "  desired       = 1" of fleet "web0"; line 3 "  image         = image.svc0"
        Position digit = new Position(7, 18);
        List<Double> diagnostics = new ArrayList<>();
        List<Double> completion = new ArrayList<>();
        List<Double> hover = new ArrayList<>();
        TextDocumentIdentifier doc = new TextDocumentIdentifier(uri);
        for (int round = 0; round < WARMUP_ROUNDS + MEASURED_ROUNDS; round++) {
            boolean measured = round >= WARMUP_ROUNDS;
            long start = System.nanoTime();
            server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, round + 2),
                    List.of(new TextDocumentContentChangeEvent(new Range(digit, new Position(7, 19)), round % 2 == 0 ? "2" : "1"))));
            client.waitFor(uri);
            record(diagnostics, start, measured);
            start = System.nanoTime();
            int items = server.getTextDocumentService().completion(new CompletionParams(doc, new Position(3, 24))).get().getLeft().size();
            record(completion, start, measured);
            if (items != 21) {
                throw new IllegalStateException("expected the 21 images after image., got " + items);
            }
            start = System.nanoTime();
            if (server.getTextDocumentService().hover(new HoverParams(doc, new Position(3, 20))).get() == null) {
                throw new IllegalStateException("no hover on image.svc0");
            }
            record(hover, start, measured);
        }
        long fleets;
        try (var files = Files.list(stack)) {
            fleets = files.filter(p -> p.getFileName().toString().startsWith("fleets-")).count() * 250;
        }
        System.out.printf("stack %s (about %d fleets), %d measured rounds after %d warm-up rounds%n", stack, fleets,
                MEASURED_ROUNDS, WARMUP_ROUNDS);
        print("diagnostics after a one-character edit (incl. 50 ms debounce)", diagnostics);
        print("completion after image.", completion);
        print("hover on image.svc0", hover);
        server.shutdown().get();
        System.exit(0);
    }

    private static void record(List<Double> into, long start, boolean measured) {
        if (measured) {
            into.add((System.nanoTime() - start) / 1e6);
        }
    }

    private static void print(String what, List<Double> times) {
        List<Double> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        System.out.printf("%-62s min %7.1f ms  median %7.1f ms  max %7.1f ms%n", what, sorted.get(0), sorted.get(sorted.size() / 2),
                sorted.get(sorted.size() - 1));
    }

    private void waitFor(String uri) throws InterruptedException {
        while (true) {
            PublishDiagnosticsParams p = published.poll(60, TimeUnit.SECONDS);
            if (p == null) {
                throw new IllegalStateException("no diagnostics for " + uri);
            }
            if (p.getUri().equals(uri)) {
                if (!p.getDiagnostics().isEmpty()) {
                    throw new IllegalStateException("the stack has problems: " + p.getDiagnostics());
                }
                return;
            }
        }
    }

    @Override
    public void publishDiagnostics(PublishDiagnosticsParams params) {
        published.add(params);
    }

    @Override
    public void telemetryEvent(Object object) {
    }

    @Override
    public void showMessage(MessageParams message) {
    }

    @Override
    public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams request) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void logMessage(MessageParams message) {
        System.err.println(message.getMessage());
    }
}
