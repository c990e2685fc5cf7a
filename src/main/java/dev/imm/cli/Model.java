package dev.imm.cli;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Picocli's model of imm's command line, declared in code. Picocli can read the same model from
 * annotations, but Java makes a proxy class for each annotation type it reads and picocli then reflects
 * over every field: about 50 ms before a short command such as {@code imm version} can begin
 * (bench/README.md). Declared here, the model costs a few milliseconds, and reads like the annotations
 * it replaces: each option names its field through a getter and a setter, and the field's value when the
 * model is built is its default, as picocli does for an annotated field.
 */
final class Model {
    static {
        // Picocli's default factory looks for Groovy's Closure class as it is first used. The miss makes the
        // class loader open and index every jar on the class path (tens of milliseconds, bench/README.md)
        // for a language imm does not use.
        System.setProperty("picocli.disable.closures", "true");
    }

    private Model() {
    }

    /** A command whose {@code userObject} picocli runs ({@link Runnable} or {@link java.util.concurrent.Callable}). */
    static CommandSpec command(Object userObject, String name, String[] description, String... footer) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(userObject);
        spec.name(name);
        spec.usageMessage().description(description).footer(footer);
        return spec;
    }

    /**
     * The command line of a command whose options are all declared: {@code -h} and {@code -V} are added
     * after them, as picocli's {@code mixinStandardHelpOptions} does (without reading its annotated mixin).
     */
    static CommandLine commandLine(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        return new CommandLine(spec);
    }

    /** {@code description} as lines; a single long line is wrapped by picocli. */
    static String[] lines(String... lines) {
        return lines;
    }

    /**
     * An option without a value, {@code --json}, set to true when given. {@code names} are separated by
     * ", ", as in {@code "-o, --output"}.
     */
    static OptionSpec.Builder flag(String names, String description, Supplier<Boolean> get, Consumer<Boolean> set) {
        return bind(OptionSpec.builder(names.split(", ")), boolean.class, boolean.class, get, set).description(description);
    }

    /** An option that takes one value, {@code --format=FORMAT}, of {@code type} (converted by picocli). */
    static <T> OptionSpec.Builder option(String names, String label, String description, Class<T> type, Supplier<T> get,
            Consumer<T> set) {
        return bind(OptionSpec.builder(names.split(", ")), type, type, get, set).paramLabel(label).description(description);
    }

    /** An option that may be given many times, {@code --target=ADDR...}, each value one element of the list. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <T> OptionSpec.Builder repeatable(String names, String label, String description, Class<T> element,
            Supplier<List<T>> get, Consumer<List<T>> set) {
        return bind(OptionSpec.builder(names.split(", ")), (Class) List.class, element, (Supplier) get, (Consumer) set)
                .auxiliaryTypes(element).paramLabel(label).description(description);
    }

    /** The positional parameter at {@code index} ({@code "0"}, or {@code "0..*"} for all), of {@code type}. */
    static <T> PositionalParamSpec.Builder positional(String index, String label, String description, Class<T> type,
            Supplier<T> get, Consumer<T> set) {
        return bind(PositionalParamSpec.builder().index(index), type, type, get, set).paramLabel(label).description(description);
    }

    /** Every positional parameter, {@code [PATH...]}, none or many, each one element of the list. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <T> PositionalParamSpec.Builder positionals(String label, String description, Class<T> element,
            Supplier<List<T>> get, Consumer<List<T>> set) {
        return bind(PositionalParamSpec.builder().index("0..*"), (Class) List.class, element, (Supplier) get, (Consumer) set)
                .auxiliaryTypes(element).arity("0..*").paramLabel(label).description(description);
    }

    /** An optional directory, {@code [DIR]}, at {@code index}. */
    static PositionalParamSpec directory(String index, String description, Supplier<java.nio.file.Path> get,
            Consumer<java.nio.file.Path> set) {
        return positional(index, "DIR", description, java.nio.file.Path.class, get, set).arity("0..1").build();
    }

    /** The stack directory most verbs take first: {@code [DIR]}, the current directory when not given. */
    static PositionalParamSpec stackDirectory(Supplier<java.nio.file.Path> get, Consumer<java.nio.file.Path> set) {
        return directory("0", "Stack directory (default: current directory).", get, set);
    }

    /** The exit codes a command's help lists under "Exit codes:", in order: code, then what it means. */
    static void exitCodes(CommandSpec spec, String... codesAndMeanings) {
        Map<String, String> codes = new java.util.LinkedHashMap<>();
        for (int i = 0; i < codesAndMeanings.length; i += 2) {
            codes.put(codesAndMeanings[i], codesAndMeanings[i + 1]);
        }
        spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    }

    /**
     * The option's value lives in a field: picocli reads and writes it through {@code get} and {@code set},
     * and resets it to the value it holds now before parsing. {@code each} is the type of one value (the
     * element type of a list).
     */
    private static <T> OptionSpec.Builder bind(OptionSpec.Builder option, Class<T> type, Class<?> each, Supplier<T> get,
            Consumer<T> set) {
        Field<T> field = new Field<>(get, set);
        option.type(type).getter(field).setter(field).initialValue(get.get()).hasInitialValue(true);
        return each == java.nio.file.Path.class ? option.converters(PATH) : option;
    }

    /** The same for a positional parameter (picocli's builders share no public type). */
    private static <T> PositionalParamSpec.Builder bind(PositionalParamSpec.Builder positional, Class<T> type, Class<?> each,
            Supplier<T> get, Consumer<T> set) {
        Field<T> field = new Field<>(get, set);
        positional.type(type).getter(field).setter(field).initialValue(get.get()).hasInitialValue(true);
        return each == java.nio.file.Path.class ? positional.converters(PATH) : positional;
    }

    /**
     * Paths are converted here: picocli's own converter calls {@code Paths.get} by reflection, whose first
     * call builds a method handle (a tenth of a validate's options read). Picocli applies an argument's
     * converter whatever the argument's type, so only arguments that are paths are given it.
     */
    private static final CommandLine.ITypeConverter<java.nio.file.Path> PATH = java.nio.file.Path::of;

    private static final class Field<T> implements CommandLine.Model.IGetter, CommandLine.Model.ISetter {
        private final Supplier<T> get;
        private final Consumer<T> set;

        Field(Supplier<T> get, Consumer<T> set) {
            this.get = get;
            this.set = set;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> V get() {
            return (V) get.get();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> V set(V value) {
            V old = get();
            set.accept((T) value);
            return old;
        }
    }
}
