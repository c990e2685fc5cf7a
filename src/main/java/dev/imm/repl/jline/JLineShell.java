package dev.imm.repl.jline;

import dev.imm.repl.ReplInput;
import dev.imm.repl.ReplSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.reader.Candidate;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The console on a terminal: line editing, multi-line input while brackets, strings or heredocs are
 * open, tab completion, history kept in a file, errors in colour. Everything else is the session's.
 */
public final class JLineShell {
    private static final Pattern TRAILING_NAME = Pattern.compile("[:A-Za-z_][A-Za-z0-9_.]*$");

    private JLineShell() {
    }

    public static void run(ReplSession session, Path historyFile, boolean color) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            DefaultParser parser = new DefaultParser() {
                @Override
                public ParsedLine parse(String line, int cursor, ParseContext context) {
                    if (context == ParseContext.ACCEPT_LINE && !line.strip().startsWith(":") && !ReplInput.isComplete(line)) {
                        throw new EOFError(-1, -1, "more input");
                    }
                    return super.parse(line, cursor, context);
                }
            };
            parser.setEscapeChars(new char[0]);
            parser.setQuoteChars(new char[0]);
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("imm")
                    .parser(parser)
                    .completer((r, line, candidates) -> {
                        String word = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
                        Matcher m = TRAILING_NAME.matcher(word);
                        String prefix = m.find() ? word.substring(0, m.start()) : word;
                        String name = m.find(0) ? m.group() : "";
                        for (String c : session.complete(name)) {
                            // a name may go on (image.web.id, upper(...)): only commands are closed with a space
                            boolean complete = c.startsWith(":");
                            candidates.add(new Candidate(prefix + c, c, null, null, null, null, complete));
                        }
                    })
                    .variable(LineReader.HISTORY_FILE, historyFile)
                    .variable(LineReader.SECONDARY_PROMPT_PATTERN, "...  ")
                    .build();
            PrintWriter out = terminal.writer();
            if (!session.loadProblems().isEmpty()) {
                out.print(session.loadProblems());
            }
            out.println("imm console: :help for commands, Ctrl-D to leave.");
            while (true) {
                String input;
                try {
                    input = reader.readLine("imm> ");
                } catch (UserInterruptException interrupted) {
                    continue; // Ctrl-C clears the line
                } catch (EndOfFileException eof) {
                    break;
                }
                ReplSession.Response response = session.handle(input);
                if (response.quit()) {
                    break;
                }
                out.print(response.error() && color ? "\u001b[31m" + response.text() + "\u001b[0m" : response.text());
                out.flush();
            }
            reader.getHistory().save();
        }
    }
}
