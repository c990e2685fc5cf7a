package dev.imm.lsp;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;

/** Runs the language server over a pair of streams (stdio for {@code imm lsp}) until the client goes away. */
public final class LanguageServerMain {
    private LanguageServerMain() {
    }

    /**
     * Serves until the client sends {@code exit} (0 after {@code shutdown}, 1 without, as the protocol
     * says) or the input ends (0), or the connection breaks (1).
     */
    public static int serve(InputStream in, OutputStream out) {
        ImmLanguageServer server = new ImmLanguageServer();
        Launcher<LanguageClient> launcher = LSPLauncher.createServerLauncher(server, in, out);
        server.connect(launcher.getRemoteProxy());
        java.util.concurrent.Future<Void> listening = launcher.startListening();
        CompletableFuture<Integer> ended = CompletableFuture.anyOf(server.exited(),
                CompletableFuture.supplyAsync(() -> {
                    try {
                        listening.get();
                        return 0;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return 1;
                    } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                        return 1;
                    }
                })).thenApply(code -> (Integer) code);
        try {
            return ended.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (ExecutionException e) {
            return 1;
        }
    }
}
