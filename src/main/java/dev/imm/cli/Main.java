package dev.imm.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;

/**
 * The {@code imm} command. {@link #run} is the testable entry point: arguments in, exit code out, all
 * output through the given streams. Each verb is one class; this one only holds the global options and
 * turns failures into the exit codes of {@link ExitCode}.
 */
public final class Main implements Runnable {
    /**
     * The verbs, in the order help lists them (and {@code help}, picocli's). A run adds only the verb it
     * runs, and all of them only when it needs them: for help, shell completion, or a word that is no verb
     * (to suggest the nearest).
     */
    private static final Map<String, Function<Main, Verb>> VERBS = verbs();
    private static final java.util.Set<String> NEED_ALL = java.util.Set.of("help", "completion");
    /** The verbs that evaluate no stack (null: none given, the help): nothing to warm up for them. */
    private static final java.util.Set<String> QUICK = new java.util.HashSet<>(java.util.Arrays.asList(
            null, "version", "help", "completion"));

    private static Map<String, Function<Main, Verb>> verbs() {
        Map<String, Function<Main, Verb>> verbs = new java.util.LinkedHashMap<>();
        verbs.put("validate", ValidateCommand::new);
        verbs.put("fmt", FmtCommand::new);
        verbs.put("plan", PlanCommand::new);
        verbs.put("apply", ApplyCommand::new);
        verbs.put("history", HistoryCommand::new);
        verbs.put("rollback", RollbackCommand::new);
        verbs.put("show", ShowCommand::new);
        verbs.put("state", StateCommand::new);
        verbs.put("unlock", UnlockCommand::new);
        verbs.put("init", InitCommand::new);
        verbs.put("destroy", DestroyCommand::new);
        verbs.put("refresh", RefreshCommand::new);
        verbs.put("drift", DriftCommand::new);
        verbs.put("graph", GraphCommand::new);
        verbs.put("completion", CompletionCommand::new);
        verbs.put("console", ConsoleCommand::new);
        verbs.put("lsp", LspCommand::new);
        verbs.put("version", VersionCommand::new);
        return java.util.Collections.unmodifiableMap(verbs);
    }

    /** The command line for {@code args}: the verb they name, or every verb when they need them all. */
    static CommandLine commandLine(Main main, String... args) {
        CommandLine cli = Model.commandLine(main.spec);
        String verb = verb(args);
        if (verb != null && VERBS.containsKey(verb) && !NEED_ALL.contains(verb)) {
            cli.addSubcommand(verb, Model.commandLine(VERBS.get(verb).apply(main).spec));
        } else {
            VERBS.forEach((name, verbOf) -> cli.addSubcommand(name, Model.commandLine(verbOf.apply(main).spec)));
            cli.addSubcommand("help", new CommandLine.HelpCommand());
        }
        return cli;
    }

    /** The first argument that is no option: the verb, or null. */
    private static String verb(String... args) {
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                return arg;
            }
        }
        return null;
    }

    final PrintStream out;
    final PrintStream err;
    final Map<String, String> env;
    /** Standard input (the console reads it when it is not a terminal). */
    java.io.InputStream in = System.in;

    boolean noColor;
    boolean debug;
    /** Picocli's model of imm: the global options, help and version; the verbs are added by {@link #commandLine}. */
    final CommandSpec spec;

    Main(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
        spec = Model.command(this, "imm",
                Model.lines("Immutable infrastructure: bake golden images, roll fleets onto them, keep the history in Git."),
                "", "Exit codes: 0 ok, 1 errors reported, 2 changes present (with --detailed-exitcode),",
                "64 usage error, 70 internal error (a bug in imm), 130 interrupted.");
        spec.versionProvider(() -> new String[] {VersionCommand.version()});
        spec.addOption(Model.flag("--no-color", "Never use colour.", () -> noColor, v -> noColor = v)
                .scopeType(ScopeType.INHERIT).build());
        spec.addOption(Model.flag("--debug", "Show internal details of errors.", () -> debug, v -> debug = v)
                .scopeType(ScopeType.INHERIT).build());
    }

    public static void main(String[] args) {
        dev.imm.engine.Stages.begin();
        if (!QUICK.contains(verb(args))) {
            Warmup.start();
        }
        int code = run(System.out, System.err, System.getenv(), args);
        if (code != ExitCode.OK || othersRunning()) {
            System.exit(code);
        }
        // Returning ends the JVM with status 0 once its shutdown hooks have run, as System.exit(0) would,
        // but without the debug log line a JDK 21+ writes for every System.exit: finding a logger for it
        // makes the class loader open and index every jar on the class path, about 60 ms (bench/README.md).
    }

    /** Whether a thread that is no daemon is still running besides this one (it would keep the JVM up). */
    private static boolean othersRunning() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 8];
        int count = root.enumerate(threads);
        for (int i = 0; i < count; i++) {
            if (threads[i] != Thread.currentThread() && threads[i].isAlive() && !threads[i].isDaemon()) {
                return true;
            }
        }
        return false;
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
