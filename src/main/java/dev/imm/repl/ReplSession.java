package dev.imm.repl;

import dev.imm.diag.DiagnosticRenderer;
import dev.imm.diag.Diagnostics;
import dev.imm.diag.SourceFile;
import dev.imm.engine.ApplyRecord;
import dev.imm.engine.Engine;
import dev.imm.engine.PlanOptions;
import dev.imm.engine.PreparedPlan;
import dev.imm.engine.Validation;
import dev.imm.engine.VariableSources;
import dev.imm.eval.ConsoleScope;
import dev.imm.lang.Parser;
import dev.imm.model.Address;
import dev.imm.plan.Action;
import dev.imm.plan.Plan;
import dev.imm.plan.Reason;
import dev.imm.plan.ResourceChange;
import dev.imm.render.PlanTextRenderer;
import dev.imm.state.StateException;
import dev.imm.value.Value;
import dev.imm.value.Values;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The console without a terminal: one request (an expression or a {@code :command}) in, one response
 * out. Errors are diagnostics in the response; nothing ends the session but {@code :quit}. The JLine
 * shell and the line-by-line mode for pipes are thin fronts on it, and tests drive it directly.
 */
public final class ReplSession {
    /** What a request gave: the text to show, whether it is an error, and whether the session ends. */
    public record Response(String text, boolean error, boolean quit) {
        static Response ok(String text) {
            return new Response(text, false, false);
        }

        static Response error(String text) {
            return new Response(text, true, false);
        }
    }

    static final List<String> COMMANDS = List.of(":help", ":type", ":plan", ":why", ":state", ":history", ":reload", ":quit");

    private final Path directory;
    private final VariableSources variables;
    private final Engine engine = new Engine();
    private ConsoleScope scope;
    private String loadProblems = "";
    private int requests;

    public ReplSession(Path directory, VariableSources variables) {
        this.directory = directory;
        this.variables = variables;
        reload();
    }

    /** Problems found when the stack was (re)loaded, rendered; empty when it is valid. */
    public String loadProblems() {
        return loadProblems;
    }

    /**
     * Reads the stack as a plan does (with the state, the cloud and the images that exist, so image ids
     * are known), or, when that fails (say, a variable has no value), as validate does.
     */
    private void reload() {
        PreparedPlan planned = engine.prepare(directory, new PlanOptions(variables, Set.of(), Set.of(), true));
        if (!planned.result().hasErrors() && planned.result().evaluation() != null) {
            loadProblems = "";
            scope = new ConsoleScope(planned.result().evaluation(), directory);
            return;
        }
        Validation v = engine.validate(directory, variables);
        loadProblems = new DiagnosticRenderer(v.sources()::get, false).render(v.diagnostics());
        scope = v.evaluation() == null ? null : new ConsoleScope(v.evaluation(), directory);
    }

    public Response handle(String input) {
        String text = input.strip();
        if (text.isEmpty()) {
            return Response.ok("");
        }
        if (!text.startsWith(":")) {
            return evaluate(text, false);
        }
        String command = text.split("\\s+", 2)[0];
        String argument = text.length() > command.length() ? text.substring(command.length()).strip() : "";
        switch (command) {
            case ":help":
                return Response.ok(help());
            case ":type":
                return evaluate(argument, true);
            case ":plan":
                return plan(argument);
            case ":why":
                return why(argument);
            case ":state":
                return state(argument);
            case ":history":
                return history(argument);
            case ":reload":
                reload();
                return loadProblems.isEmpty() ? Response.ok("Reloaded " + directory + ".") : Response.error(loadProblems);
            case ":quit":
            case ":q":
                return new Response("", false, true);
            default:
                String hint = dev.imm.diag.DidYouMean.hint(command, COMMANDS);
                return Response.error("error: unknown command " + command + (hint.isEmpty() ? "" : "; " + hint)
                        + "\n  = :help lists the commands\n");
        }
    }

    private static String help() {
        return String.join("\n",
                "Type an expression to evaluate it against the stack (var.NAME, local.NAME, image.NAME.id, upper(\"x\"), ...).",
                "  :type EXPR      the type of an expression",
                "  :plan [ADDR]    the plan, or the part of it for one resource and what it depends on",
                "  :why ADDR       the chain of reasons behind a change (fleet rolls <- image bakes <- file changed)",
                "  :state [ADDR]   the recorded state, or one resource's record",
                "  :history [ADDR] the applies, newest first",
                "  :reload         read the stack's files again",
                "  :quit           leave (or Ctrl-D)",
                "");
    }

    private Response evaluate(String text, boolean typeOnly) {
        if (scope == null) {
            return Response.error(loadProblems.isEmpty() ? "error: the stack could not be read\n" : loadProblems);
        }
        SourceFile source = new SourceFile("<console:" + (++requests) + ">", text);
        Parser.ExprResult parsed = Parser.parseExpression(source);
        DiagnosticRenderer renderer = new DiagnosticRenderer(p -> source, false);
        if (parsed.expr() == null) {
            return Response.error(renderer.render(parsed.diagnostics()));
        }
        Diagnostics diagnostics = new Diagnostics();
        Value value = scope.evaluate(parsed.expr(), diagnostics);
        if (diagnostics.hasErrors()) {
            return Response.error(renderer.render(diagnostics.sorted()));
        }
        if (typeOnly) {
            Value u = Values.unmarked(value);
            String type = u instanceof Value.Unknown unknown ? unknown.type() + " (" + unknown.reason() + ")" : u.type().toString();
            return Response.ok(type + (value instanceof Value.Sensitive ? " (sensitive)" : "") + "\n");
        }
        return Response.ok(Values.render(value) + "\n");
    }

    private Optional<Address> address(String text) {
        int dot = text.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String kind = text.substring(0, dot);
        if (!kind.equals("image") && !kind.equals("fleet")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Address.parse(kind, text));
        } catch (RuntimeException notAnAddress) {
            return Optional.empty();
        }
    }

    private Response badAddress(String command, String text) {
        return Response.error("error: " + command + " takes an address such as fleet.web or image.app, not \"" + text + "\"\n");
    }

    private Plan currentPlan(Set<Address> targets, StringBuilder problems) {
        PreparedPlan prepared = engine.prepare(directory, new PlanOptions(variables, targets, Set.of(), true));
        if (prepared.result().hasErrors()) {
            problems.append(new DiagnosticRenderer(prepared.result().sources()::get, false).render(prepared.result().diagnostics()));
            return null;
        }
        return prepared.plan();
    }

    private Response plan(String argument) {
        Set<Address> targets = new TreeSet<>();
        if (!argument.isEmpty()) {
            Optional<Address> a = address(argument);
            if (a.isEmpty()) {
                return badAddress(":plan", argument);
            }
            targets.add(a.get());
        }
        StringBuilder problems = new StringBuilder();
        Plan plan = currentPlan(targets, problems);
        return plan == null ? Response.error(problems.toString()) : Response.ok(new PlanTextRenderer(false).render(plan));
    }

    /** {@code fleet.web rolls} then, indented, each cause: the image it waits for and that image's reasons. */
    private Response why(String argument) {
        Optional<Address> a = address(argument);
        if (a.isEmpty()) {
            return badAddress(":why", argument);
        }
        StringBuilder problems = new StringBuilder();
        Plan plan = currentPlan(Set.of(), problems);
        if (plan == null) {
            return Response.error(problems.toString());
        }
        List<String> lines = new ArrayList<>();
        explain(plan, a.get(), 0, lines);
        if (lines.isEmpty()) {
            return Response.ok(a.get() + " does not change.\n");
        }
        return Response.ok(String.join("\n", lines) + "\n");
    }

    private static void explain(Plan plan, Address address, int depth, List<String> lines) {
        ResourceChange change = plan.changes().stream()
                .filter(c -> c.address().equals(address) && c.action() != Action.NO_OP).findFirst().orElse(null);
        if (change == null || depth > 8) {
            return;
        }
        String indent = "  ".repeat(depth);
        lines.add(indent + (depth == 0 ? "" : "<- ") + address + " " + verb(change.action()));
        for (Reason r : change.reasons()) {
            Optional<Address> cause = r.code().equals("image-bakes") || r.code().equals("source-changed")
                    ? Optional.ofNullable(parseImage(r.path())) : Optional.empty();
            if (cause.isPresent() && plan.changes().stream().anyMatch(c -> c.address().equals(cause.get()) && c.action() == Action.BAKE)) {
                explain(plan, cause.get(), depth + 1, lines);
            } else {
                lines.add(indent + "  <- " + r);
            }
        }
    }

    private static Address parseImage(String path) {
        String first = path.split(" ")[0];
        return first.startsWith("image.") ? Address.parse("image", first) : null;
    }

    private static String verb(Action action) {
        switch (action) {
            case BAKE: return "bakes";
            case ROLL: return "rolls";
            case CREATE: return "is created";
            case UPDATE: return "is updated in place";
            case DESTROY: return "is destroyed";
            case RETIRE: return "retires a version";
            default: return action.spelling();
        }
    }

    private Response state(String argument) {
        Optional<Address> a = Optional.empty();
        if (!argument.isEmpty()) {
            a = address(argument);
            if (a.isEmpty()) {
                return badAddress(":state", argument);
            }
        }
        Optional<Address> resource = a;
        try {
            Optional<String> text = engine.stateText(directory, resource);
            return text.map(Response::ok).orElseGet(() -> Response.ok(resource.isPresent()
                    ? resource.get() + " is not in the state.\n" : "No state yet: nothing was applied.\n"));
        } catch (StateException e) {
            return Response.error("error: cannot read the state\n  = " + e.getMessage() + "\n");
        }
    }

    private Response history(String argument) {
        Optional<Address> a = Optional.empty();
        if (!argument.isEmpty()) {
            a = address(argument);
            if (a.isEmpty()) {
                return badAddress(":history", argument);
            }
        }
        try {
            List<ApplyRecord> applies = engine.history(directory, a, 20);
            if (applies.isEmpty()) {
                return Response.ok("No applies yet.\n");
            }
            StringBuilder out = new StringBuilder();
            for (ApplyRecord r : applies) {
                out.append(r.revision().shortId()).append("  ").append(r.status()).append("  ").append(r.summary()).append('\n');
            }
            return Response.ok(out.toString());
        } catch (StateException e) {
            return Response.error("error: cannot read the history\n  = " + e.getMessage() + "\n");
        }
    }

    /** Completions for the word being typed: commands, namespaces, names after {@code ns.}, functions. */
    public List<String> complete(String word) {
        List<String> out = new ArrayList<>();
        if (word.startsWith(":")) {
            COMMANDS.stream().filter(c -> c.startsWith(word)).forEach(out::add);
            return out;
        }
        if (scope == null) {
            return out;
        }
        out.addAll(scope.complete(word));
        return out;
    }
}
