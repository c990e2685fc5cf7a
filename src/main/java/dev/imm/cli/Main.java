package dev.imm.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code imm} command. {@link #run} is the testable entry point: arguments in, exit code out, all
 * output through the given streams. Each verb is one class; this one only holds the global options and
 * turns failures into the exit codes of {@link ExitCode}.
 */
@Command(name = "imm",
        description = "Immutable infrastructure: bake golden images, roll fleets onto them, keep the history in Git.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        footer = {"", "Exit codes: 0 ok, 1 errors reported, 2 changes present (with --detailed-exitcode),",
                "64 usage error, 70 internal error (a bug in imm), 130 interrupted."})
public final class Main implements Runnable {
    /**
     * The verbs, in the order help lists them. Picocli reads a command's options by reflection when it
     * is added, which costs more at start than anything else a short command does; so a run adds only
     * the verb it runs, and all of them only when it needs them: for help, shell completion, or a word
     * that is no verb (to suggest the nearest).
     */
    private static final Map<String, Class<?>> VERBS = verbs();
    private static final java.util.Set<String> NEED_ALL = java.util.Set.of("help", "completion");

    private static Map<String, Class<?>> verbs() {
        Map<String, Class<?>> verbs = new java.util.LinkedHashMap<>();
        verbs.put("validate", ValidateCommand.class);
        verbs.put("fmt", FmtCommand.class);
        verbs.put("plan", PlanCommand.class);
        verbs.put("apply", ApplyCommand.class);
        verbs.put("history", HistoryCommand.class);
        verbs.put("rollback", RollbackCommand.class);
        verbs.put("show", ShowCommand.class);
        verbs.put("state", StateCommand.class);
        verbs.put("unlock", UnlockCommand.class);
        verbs.put("init", InitCommand.class);
        verbs.put("destroy", DestroyCommand.class);
        verbs.put("refresh", RefreshCommand.class);
        verbs.put("drift", DriftCommand.class);
        verbs.put("graph", GraphCommand.class);
        verbs.put("completion", CompletionCommand.class);
        verbs.put("console", ConsoleCommand.class);
        verbs.put("lsp", LspCommand.class);
        verbs.put("version", VersionCommand.class);
        verbs.put("help", CommandLine.HelpCommand.class);
        return java.util.Collections.unmodifiableMap(verbs);
    }

    /** The command line for {@code args}: the verb they name, or every verb when they need them all. */
    static CommandLine commandLine(Main main, String... args) {
        CommandLine cli = new CommandLine(main);
        String verb = null;
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                verb = arg;
                break;
            }
        }
        if (verb != null && VERBS.containsKey(verb) && !NEED_ALL.contains(verb)) {
            cli.addSubcommand(verb, VERBS.get(verb));
        } else {
            VERBS.forEach(cli::addSubcommand);
        }
        return cli;
    }

    final PrintStream out;
    final PrintStream err;
    final Map<String, String> env;
    /** Standard input (the console reads it when it is not a terminal). */
    java.io.InputStream in = System.in;

    @Option(names = "--no-color", scope = ScopeType.INHERIT, description = "Never use colour.")
    boolean noColor;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show internal details of errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Main(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        dev.imm.engine.Stages.begin();
        System.exit(run(System.out, System.err, System.getenv(), args));
    }

    public static int run(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        return run(System.in, out, err, env, args);
    }

    /** Like {@link #run(PrintStream, PrintStream, Map, String...)}, reading standard input from {@code in}. */
    public static int run(java.io.InputStream in, PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        Main main = new Main(out, err, env);
        main.in = in;
        CommandLine cli = commandLine(main, args);
        dev.imm.engine.Stages.end("command line");
        cli.setExecutionStrategy(parsed -> {
            dev.imm.engine.Stages.end("options read");
            return new CommandLine.RunLast().execute(parsed);
        });
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((ex, arguments) -> {
            err.println("imm: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("imm: internal error: " + ex);
            err.println("This is a bug in imm. Run again with --debug and report the output.");
            if (main.debug) {
                err.print(stackTrace(ex));
            }
            return ExitCode.INTERNAL;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(out);
    }

    boolean color() {
        return Terminal.colorAllowed(noColor, env);
    }

    private static String stackTrace(Throwable t) {
        StringWriter text = new StringWriter();
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            text.append(cause == t ? "" : "Caused by: ").append(cause.toString()).append('\n');
            for (StackTraceElement frame : cause.getStackTrace()) {
                text.append("    at ").append(frame.toString()).append('\n');
            }
        }
        return text.toString();
    }
}
