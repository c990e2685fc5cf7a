package dev.imm.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.diag.SourceFile;
import dev.imm.lang.Formatter;
import dev.imm.testing.TestStacks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.FormattingOptions;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ReferenceContext;
import org.eclipse.lsp4j.ReferenceParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextEdit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code imm lsp} driven as an editor drives it: lsp4j's launcher on both ends of piped streams, in
 * process, on a copy of the quickstart (lines and characters below are the protocol's, from 0).
 */
class LspTest {
    @TempDir
    Path dir;
    private Path main;
    private String text;
    private LspClient client;

    @BeforeEach
    void start() throws Exception {
        Path stack = TestStacks.copyExample("quickstart", dir, "quickstart");
        main = stack.resolve("main.imm");
        text = Files.readString(main);
        client = new LspClient();
        client.open(main, text);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        assertEquals(List.of(), client.logs.stream().filter(l -> l.contains("internal error")).toList());
    }

    private TextDocumentIdentifier doc() {
        return new TextDocumentIdentifier(LspClient.uri(main));
    }

    private List<String> completions(String newText, int line, int character) throws Exception {
        client.replace(main, newText);
        List<CompletionItem> items = client.server.getTextDocumentService()
                .completion(new CompletionParams(doc(), new Position(line, character))).get(10, TimeUnit.SECONDS).getLeft();
        return items.stream().map(i -> i.getTextEdit().getLeft().getNewText()).toList();
    }

    @Test
    void aValidStackHasNoDiagnosticsAndATypoHasOneWithAQuickFix() throws Exception {
        assertEquals(List.of(), client.nextDiagnostics(main).getDiagnostics());
        client.change(main, new TextDocumentContentChangeEvent(new Range(new Position(29, 2), new Position(29, 15)), "instnace_type"));
        PublishDiagnosticsParams published;
        do {
            published = client.nextDiagnostics(main);
        } while (published.getDiagnostics().isEmpty());
        assertEquals(1, published.getDiagnostics().size(), published::toString);
        Diagnostic d = published.getDiagnostics().get(0);
        assertTrue(d.getMessage().startsWith("unknown attribute \"instnace_type\" in fleet \"web\"\ndid you mean \"instance_type\"?"),
                d.getMessage());
        assertEquals(new Range(new Position(29, 2), new Position(29, 15)), d.getRange());
        List<CodeAction> fixes = client.server.getTextDocumentService()
                .codeAction(new CodeActionParams(doc(), d.getRange(), new CodeActionContext(List.of(d)))).get(10, TimeUnit.SECONDS)
                .stream().map(e -> e.getRight()).toList();
        assertEquals("Change to \"instance_type\"", fixes.get(0).getTitle());
        TextEdit edit = fixes.get(0).getEdit().getChanges().get(LspClient.uri(main)).get(0);
        assertEquals("instance_type", edit.getNewText());
        assertEquals(d.getRange(), edit.getRange());
    }

    @Test
    void aNameDeclaredTwiceLinksToTheFirstDeclaration() throws Exception {
        assertEquals(List.of(), client.nextDiagnostics(main).getDiagnostics());
        client.replace(main, text + "\nrollout \"rolling\" {\n  strategy = \"rolling\"\n}\n");
        PublishDiagnosticsParams published;
        do {
            published = client.nextDiagnostics(main);
        } while (published.getDiagnostics().isEmpty());
        Diagnostic d = published.getDiagnostics().get(0);
        assertTrue(d.getMessage().startsWith("rollout.rolling is declared twice"), d.getMessage());
        assertEquals(1, d.getRelatedInformation().size(), d::toString);
        assertEquals("first declared here", d.getRelatedInformation().get(0).getMessage());
        assertEquals(new Location(LspClient.uri(main), new Range(new Position(19, 0), new Position(19, 17))),
                d.getRelatedInformation().get(0).getLocation());
    }

    @Test
    void completionKnowsBlocksAttributesReferencesFunctionsAndModules() throws Exception {
        String inFleet = text.replace("  rollout       = rollout.rolling\n", "  rollout       = rollout.rolling\n  des\n");
        assertEquals(List.of("description = ", "desired = "), completions(inFleet, 34, 5));
        String reference = text.replace("  image         = image.web\n", "  image         = image.\n");
        assertEquals(List.of("image.web"), completions(reference, 28, 24));
        String attribute = text.replace("  value = image.web.id\n", "  value = image.web.\n");
        assertTrue(completions(attribute, 37, 20).containsAll(List.of("image.web.id", "image.web.bake_hash")));
        String function = text.replace("  value = image.web.id\n", "  value = upp\n");
        assertEquals(List.of("upper("), completions(function, 37, 13));
        assertEquals(List.of("fleet"), completions(text + "\nfle", 40, 3));
        assertEquals(List.of("std/rollouts"), completions("import \"std/ro\"\n" + text, 0, 14));
        String nested = text.replace("    script = \"scripts/install.sh\"\n", "    en\n");
        assertEquals(List.of("env = "), completions(nested, 12, 6));
    }

    private String hover(int line, int character) throws Exception {
        Hover hover = client.server.getTextDocumentService().hover(new HoverParams(doc(), new Position(line, character)))
                .get(10, TimeUnit.SECONDS);
        return hover == null ? null : hover.getContents().getRight().getValue();
    }

    @Test
    void hoverShowsValuesAndTypes() throws Exception {
        assertEquals("```imm\nrollout.rolling = rollout.rolling\n```", hover(33, 24));
        assertTrue(hover(37, 12).startsWith("```imm\nimage.web = image.web"), hover(37, 12));
        assertEquals("`instance_type`: string, required\n\nAn attribute of `fleet` (docs/language.md#fleet).", hover(29, 4));
        assertTrue(hover(27, 1).startsWith("```imm\nfleet \"NAME\" { … }\n```\n\nAttributes: "), hover(27, 1));
    }

    @Test
    void definitionAndReferencesFollowTheNames() throws Exception {
        List<? extends Location> definition = client.server.getTextDocumentService()
                .definition(new DefinitionParams(doc(), new Position(33, 26))).get(10, TimeUnit.SECONDS).getLeft();
        assertEquals(List.of(new Location(LspClient.uri(main), new Range(new Position(19, 8), new Position(19, 17)))), definition);
        List<? extends Location> references = client.server.getTextDocumentService()
                .references(new ReferenceParams(doc(), new Position(4, 8), new ReferenceContext(true))).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(new Range(new Position(4, 6), new Position(4, 11)), new Range(new Position(28, 18), new Position(28, 27)),
                new Range(new Position(37, 10), new Position(37, 19))), references.stream().map(Location::getRange).toList());
    }

    @Test
    void symbolsAreTheBlocks() throws Exception {
        List<DocumentSymbol> symbols = client.server.getTextDocumentService().documentSymbol(new DocumentSymbolParams(doc()))
                .get(10, TimeUnit.SECONDS).stream().map(e -> e.getRight()).toList();
        assertEquals(List.of("image \"web\"", "rollout \"rolling\"", "fleet \"web\"", "output \"web_image\""),
                symbols.stream().map(DocumentSymbol::getName).toList());
        assertEquals(List.of("source", "provision \"shell\"", "keep"),
                symbols.get(0).getChildren().stream().map(DocumentSymbol::getName).toList());
    }

    @Test
    void formattingIsImmFmtAndLeavesBrokenFilesAlone() throws Exception {
        String messy = "fleet \"web\" {\nimage=image.web\n   instance_type =\"t3.small\"\nmin = 1\nmax=2\n}\n";
        client.replace(main, messy);
        List<? extends TextEdit> edits = client.server.getTextDocumentService()
                .formatting(new DocumentFormattingParams(doc(), new FormattingOptions(2, true))).get(10, TimeUnit.SECONDS);
        assertEquals(Formatter.format(new SourceFile("main.imm", messy)), edits.get(0).getNewText());
        client.replace(main, "fleet \"web\" {\n  image = \n");
        assertEquals(List.of(), client.server.getTextDocumentService()
                .formatting(new DocumentFormattingParams(doc(), new FormattingOptions(2, true))).get(10, TimeUnit.SECONDS));
    }

    /**
     * Every request at many places of every language snippet, of every prefix of the quickstart (what a
     * file looks like while it is typed) and of 120 seeded mutations of it answers, and the server logs
     * no internal error.
     */
    @Test
    void brokenInputNeverBreaksAnyRequest() throws Exception {
        List<String> inputs = new java.util.ArrayList<>();
        for (Path p : dev.imm.testing.ImmFiles.under(Path.of("src/test/resources/snippets"))) {
            inputs.add(Files.readString(p));
        }
        for (int cut = 0; cut < text.length(); cut += 23) {
            inputs.add(text.substring(0, cut));
        }
        // seeded mutations: characters that open, close or end things, put in, taken out, swapped
        java.util.Random random = new java.util.Random(13);
        String alphabet = "{}[]()\"=$#\n.a1%<-\\ ";
        for (int n = 0; n < 120; n++) {
            StringBuilder mutated = new StringBuilder(text);
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                int at = random.nextInt(mutated.length());
                switch (random.nextInt(3)) {
                    case 0 -> mutated.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> mutated.deleteCharAt(at);
                    default -> mutated.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            inputs.add(mutated.toString());
        }
        var service = client.server.getTextDocumentService();
        for (String input : inputs) {
            client.replace(main, input);
            int lines = input.split("\n", -1).length;
            for (int line = 0; line < lines; line += Math.max(1, lines / 4)) {
                for (int character : new int[] {0, 3, 9, 200}) {
                    Position at = new Position(line, character);
                    service.completion(new CompletionParams(doc(), at)).get(10, TimeUnit.SECONDS);
                    service.hover(new HoverParams(doc(), at)).get(10, TimeUnit.SECONDS);
                    service.definition(new DefinitionParams(doc(), at)).get(10, TimeUnit.SECONDS);
                    service.references(new ReferenceParams(doc(), at, new ReferenceContext(true))).get(10, TimeUnit.SECONDS);
                }
            }
            service.documentSymbol(new DocumentSymbolParams(doc())).get(10, TimeUnit.SECONDS);
            service.formatting(new DocumentFormattingParams(doc(), new FormattingOptions(2, true))).get(10, TimeUnit.SECONDS);
        }
        assertTrue(inputs.size() > 100, "inputs: " + inputs.size());
    }
}
