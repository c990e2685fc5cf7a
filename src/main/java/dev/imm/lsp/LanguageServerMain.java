package dev.imm.lsp;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutionException;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;

/** Runs the language server over a pair of streams (stdio for {@code imm lsp}) until the client goes away. */
public final class LanguageServerMain {
    private LanguageServerMain() {
    }

    /** Serves until the input ends; returns 0, or 1 when the connection broke. */
    public static int serve(InputStream in, OutputStream out) {
        ImmLanguageServer server = new ImmLanguageServer();
        Launcher<LanguageClient> launcher = LSPLauncher.createServerLauncher(server, in, out);
        server.connect(launcher.getRemoteProxy());
        try {
            launcher.startListening().get();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (ExecutionException e) {
            return 1;
        }
    }
}
