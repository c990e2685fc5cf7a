package dev.imm.eval;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.Diagnostics;
import dev.imm.diag.DidYouMean;
import dev.imm.diag.Severity;
import dev.imm.diag.SourceFile;
import dev.imm.diag.SourceRange;
import dev.imm.lang.Attribute;
import dev.imm.lang.Block;
import dev.imm.lang.Parser;
import dev.imm.model.Address;
import dev.imm.model.BakeInputs;
import dev.imm.model.BuilderNetwork;
import dev.imm.model.CheckSpec;
import dev.imm.model.ComponentSpec;
import dev.imm.model.FaultSpec;
import dev.imm.model.FleetSpec;
import dev.imm.model.ImagePolicy;
import dev.imm.model.ImageSpec;
import dev.imm.model.OutputSpec;
import dev.imm.model.ProviderConfig;
import dev.imm.model.ProvisionStep;
import dev.imm.model.RolloutPolicy;
import dev.imm.model.SourceResolver;
import dev.imm.model.SourceSpec;
import dev.imm.model.StateConfig;
import dev.imm.value.Durations;
import dev.imm.value.Type;
import dev.imm.value.Value;
import dev.imm.value.Values;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns evaluated blocks into the model: checks values against what each attribute allows (ranges, enums,
 * combinations), fills in defaults, computes bake hashes, and gives each block the value that references
 * to it see ({@code image.app.id}, {@code fleet.web.desired}). Defaults are listed in docs/language.md.
 */
final class Decoder {
    static final String DEFAULT_BUILD_INSTANCE_TYPE = "t3.medium";
    static final long DEFAULT_BUILD_TIMEOUT = 30 * 60_000L;
    static final int DEFAULT_KEEP = 5;

    final Diagnostics diagnostics;
    final SourceResolver resolver;
    final SortedMap<Address, ComponentSpec> components = new TreeMap<>();
    final SortedMap<Address, ImageSpec> images = new TreeMap<>();
    final SortedMap<Address, RolloutPolicy> rollouts = new TreeMap<>();
    final SortedMap<Address, FleetSpec> fleets = new TreeMap<>();
    final List<CheckSpec> checks = new ArrayList<>();
    final SortedMap<Address, OutputSpec> outputs = new TreeMap<>();
    final SortedMap<Address, String> pending = new TreeMap<>();

    final Map<String, String> imageIds;
    /** The containers the fleet being decoded uses, through any of its expressions. */
    List<Address> containersInUse = List.of();

    Decoder(Diagnostics diagnostics, SourceResolver resolver, Map<String, String> imageIds) {
        this.diagnostics = diagnostics;
        this.resolver = resolver;
        this.imageIds = imageIds;
    }

    void error(SourceRange at, String summary, String hint) {
        diagnostics.add(Diagnostic.error(at, summary).withHint(hint));
    }

    /** Whether a value is unknown for a reason other than an error (so the block is pending, not broken). */
    static boolean waiting(Optional<Value> v) {
        return v.isPresent() && !usable(v.get()) && !ExprEvaluator.isError(Values.unmarked(v.get()));
    }

    /** Records that a block waits for values, by attribute name, when any of them is unknown. */
    boolean pendingOn(Address address, Map<String, Optional<Value>> values) {
        List<String> names = new ArrayList<>();
        values.forEach((name, v) -> {
            if (waiting(v)) {
                names.add(name);
            }
        });
        if (!names.isEmpty()) {
            pending.put(address, "needs " + String.join(", ", names));
        }
        return !names.isEmpty();
    }

    /** Whether a value can be used as it is: known, and not the result of an error. */
    static boolean usable(Value v) {
        return v != null && Values.isWhollyKnown(v);
    }

    static String string(Value v) {
        return ((Value.Str) Values.unmarked(v)).value();
    }

    static List<String> strings(Value v) {
        List<String> out = new ArrayList<>();
        for (Value item : Values.items(v)) {
            out.add(string(item));
        }
        return out;
    }

    static SortedMap<String, String> stringMap(Value v) {
        SortedMap<String, String> out = new TreeMap<>();
        ((Value.MapVal) Values.unmarked(v)).entries().forEach((k, item) -> out.put(k, string(item)));
        return out;
    }

    static long millis(Value v) {
        return ((Value.Duration) Values.unmarked(v)).millis();
    }

    private static BigDecimal percent(Value v) {
        return ((Value.Percent) Values.unmarked(v)).value();
    }

    static boolean bool(Value v) {
        return ((Value.Bool) Values.unmarked(v)).value();
    }

    static Address address(Value ref) {
        Value.Ref r = (Value.Ref) Values.unmarked(ref);
        return Address.parse(r.kind(), r.address());
    }

    /** A whole number of at least {@code min}, or null with a diagnostic; unknown values give null silently. */
    Integer wholeNumber(Value v, Attribute a, String what, int min) {
        if (!usable(v)) {
            return null;
        }
        BigDecimal n = ((Value.Num) Values.unmarked(v)).value();
        if (n.stripTrailingZeros().scale() > 0) {
            error(a.value().range(), "\"" + a.name() + "\" in " + what + " must be a whole number, got " + n.toPlainString(), "");
            return null;
        }
        if (n.compareTo(BigDecimal.valueOf(min)) < 0 || n.compareTo(BigDecimal.valueOf(100_000)) > 0) {
            error(a.value().range(), "\"" + a.name() + "\" in " + what + " must be between " + min + " and 100000, got "
                    + n.toPlainString(), "");
            return null;
        }
        return n.intValueExact();
    }

    /** The text of an enum attribute, or null with a diagnostic when it is not one of {@code allowed}. */
    private String oneOf(Value v, Attribute a, String what, List<String> allowed) {
        if (!usable(v)) {
            return null;
        }
        String s = string(v);
        if (allowed.contains(s)) {
            return s;
        }
        String hint = DidYouMean.hint(s, allowed);
        error(a.value().range(), "\"" + a.name() + "\" in " + what + " must be one of " + quoted(allowed) + ", got " + Values.quote(s),
                hint.isEmpty() ? "" : hint);
        return null;
    }

    private static String quoted(List<String> values) {
        List<String> q = new ArrayList<>();
        values.forEach(v -> q.add(Values.quote(v)));
        return String.join(", ", q);
    }

    Value ref(String kind, Address address, Map<String, Value> attributes) {
        return new Value.Ref(kind, address.toString(), Value.MapVal.of(attributes));
    }

    // ---- variables ----

    Value variable(StackEvaluator.Node node, BlockReader reader, ExprEvaluator evaluator, StackEvaluator.Options options) {
        String what = "variable \"" + node.name() + "\"";
        BlockReader.Body body = reader.read(node.block(), Schemas.VARIABLE, what);
        Type type = Type.ANY;
        Attribute typeAttr = body.attribute("type");
        if (typeAttr != null) {
            Type parsed = TypeExpressions.parse(typeAttr.value(), diagnostics);
            type = parsed == null ? Type.ANY : parsed;
        }
        Scope constants = Scope.constants();
        boolean sensitive = body.attribute("sensitive") != null
                && usable(reader.value(body, "sensitive", Type.BOOL, constants).get())
                && bool(reader.value(body, "sensitive", Type.BOOL, constants).get());
        Value value;
        VariableInput input = options.variables().get(node.name());
        if (input != null) {
            value = inputValue(input, type, node, evaluator);
        } else if (body.attribute("default") != null) {
            Attribute a = body.attribute("default");
            value = reader.convert(evaluator.eval(a.value(), constants), type, a, what);
        } else if (options.requireVariables()) {
            diagnostics.add(Diagnostic.error(node.block().headerRange(), "no value for variable \"" + node.name() + "\"")
                    .withHint("give one with -var " + node.name() + "=VALUE, a -var-file, or IMM_VAR_" + node.name())
                    .withDetail("The variable has no default, so a value must be given."));
            value = ExprEvaluator.ERROR;
        } else {
            value = new Value.Unknown(type, "value of var." + node.name());
        }
        return sensitive && !ExprEvaluator.isError(value) ? new Value.Sensitive(value) : value;
    }

    private Value inputValue(VariableInput input, Type type, StackEvaluator.Node node, ExprEvaluator evaluator) {
        Value raw;
        if (input.value() != null) {
            raw = input.value();
        } else if (type.equals(Type.STRING) || type.equals(Type.ANY) && !looksLikeExpression(input.text())) {
            raw = new Value.Str(input.text());
        } else {
            Parser.ExprResult parsed = Parser.parseExpression(new SourceFile(input.origin(), input.text()));
            if (parsed.expr() == null) {
                diagnostics.add(Diagnostic.error(node.block().headerRange(), "cannot read the value of variable \""
                        + node.name() + "\" from " + input.origin())
                        .withDetail(parsed.diagnostics().get(0).summary() + ". A " + type + " is written as in a .imm file."));
                return ExprEvaluator.ERROR;
            }
            raw = evaluator.eval(parsed.expr(), Scope.constants());
        }
        Optional<Value> converted = Conversions.implicit(raw, type);
        if (converted.isEmpty()) {
            diagnostics.add(Diagnostic.error(node.block().headerRange(), "variable \"" + node.name() + "\" must be "
                    + Conversions.article(type) + ", but " + input.origin() + " gives " + Conversions.describe(raw)));
            return ExprEvaluator.ERROR;
        }
        return converted.get();
    }

    private static boolean looksLikeExpression(String text) {
        String t = text.strip();
        return t.startsWith("[") || t.startsWith("{") || t.matches("-?\\d+(\\.\\d+)?") || t.equals("true") || t.equals("false");
    }

    /** Runs a variable's validation blocks against its value, which references now see. */
    void validate(StackEvaluator.Node node, BlockReader reader, ExprEvaluator evaluator, Scope scope, Value value) {
        if (!usable(value)) {
            return;
        }
        for (Block validation : node.block().blocks()) {
            if (!validation.type().equals("validation")) {
                continue;
            }
            BlockReader.Body body = reader.read(validation, Schemas.VALIDATION, "validation of variable \"" + node.name() + "\"");
            Optional<Value> condition = reader.value(body, "condition", Type.BOOL, scope);
            Optional<Value> message = reader.value(body, "message", Type.STRING, scope);
            if (condition.isPresent() && usable(condition.get()) && !bool(condition.get())) {
                String text = message.isPresent() && usable(message.get()) ? string(message.get()) : "the value is not valid";
                String shown = value instanceof Value.Sensitive ? "(sensitive)" : Values.render(value);
                diagnostics.add(Diagnostic.error(body.attribute("condition").value().range(),
                                "invalid value for variable \"" + node.name() + "\"")
                        .withHint(text)
                        .withDetail("The value " + shown + " does not pass this validation."));
            }
        }
    }

    // ---- provisioning steps ----

    /**
     * The provisioning steps of a block, in order, or null when a step needs a value not known yet (the
     * bake hash must then stay unknown: leaving the step out would give a wrong one).
     */
    private List<ProvisionStep> steps(Block block, BlockReader reader, Scope scope, ModuleFiles files, String owner) {
        List<ProvisionStep> steps = new ArrayList<>();
        boolean complete = true;
        for (Block b : block.blocks()) {
            if (!b.type().equals("provision")) {
                continue;
            }
            if (b.labels().size() != 1 || !(b.labels().get(0).value().equals("shell") || b.labels().get(0).value().equals("file"))) {
                SourceRange at = b.labels().isEmpty() ? b.typeRange() : b.labels().get(0).range();
                String given = b.labels().isEmpty() ? "" : b.labels().get(0).value();
                String hint = DidYouMean.hint(given, List.of("shell", "file"));
                error(at, "a provision block is \"shell\" or \"file\"", hint.isEmpty() ? "as in provision \"shell\" { inline = [...] }" : hint);
                continue;
            }
            String kind = b.labels().get(0).value();
            String what = "provision \"" + kind + "\" of " + owner;
            if (kind.equals("shell")) {
                BlockReader.Body body = reader.read(b, Schemas.SHELL, what);
                ProvisionStep step = shell(b, body, reader, scope, files, what);
                if (step != null) {
                    steps.add(step);
                } else {
                    complete &= !waitsForValue(body, reader, scope, List.of("inline", "script", "env"));
                }
            } else {
                BlockReader.Body body = reader.read(b, Schemas.FILE, what);
                ProvisionStep step = fileUpload(body, reader, scope, files);
                if (step != null) {
                    steps.add(step);
                } else {
                    complete &= !waitsForValue(body, reader, scope, List.of("source", "destination"));
                }
            }
        }
        return complete ? steps : null;
    }

    /** Whether any of the attributes is unknown (not an error): the step waits for a value. */
    private boolean waitsForValue(BlockReader.Body body, BlockReader reader, Scope scope, List<String> names) {
        for (String name : names) {
            Attribute a = body.attribute(name);
            if (a != null && waiting(Optional.of(reader.evaluateQuietly(a, scope)))) {
                return true;
            }
        }
        return false;
    }

    private ProvisionStep shell(Block b, BlockReader.Body body, BlockReader reader, Scope scope, ModuleFiles files, String what) {
        Optional<Value> inline = reader.value(body, "inline", Schemas.STRINGS, scope);
        Optional<Value> script = reader.value(body, "script", Type.STRING, scope);
        Optional<Value> env = reader.value(body, "env", new Type.MapOf(Type.STRING), scope);
        if (inline.isPresent() == script.isPresent()) {
            error(b.headerRange(), what + " needs either inline or script", inline.isPresent()
                    ? "use two provision blocks to run both" : "add inline = [\"...\"] or script = \"scripts/x.sh\"");
            return null;
        }
        SortedMap<String, Value> environment = new TreeMap<>();
        if (env.isPresent()) {
            if (!usable(env.get())) {
                return null;
            }
            Value.MapVal map = (Value.MapVal) Values.unmarked(env.get());
            map.entries().forEach((k, v) -> environment.put(k, Values.markedLike(v, env.get())));
        }
        if (inline.isPresent()) {
            if (!usable(inline.get())) {
                return null;
            }
            if (Values.containsSensitive(inline.get())) {
                error(body.attribute("inline").value().range(), "a sensitive value cannot be part of inline commands",
                        "pass it in env, where only its hash enters the bake inputs");
                return null;
            }
            return new ProvisionStep.Shell(strings(inline.get()), null, null, environment, b.range());
        }
        String path = contentPath(script.get());
        String sha = path == null ? null : fileHash(path, body.attribute("script"), files);
        return sha == null ? null : new ProvisionStep.Shell(null, files.stackPath(path), sha, environment, b.range());
    }

    private ProvisionStep fileUpload(BlockReader.Body body, BlockReader reader, Scope scope, ModuleFiles files) {
        Optional<Value> source = reader.value(body, "source", Type.STRING, scope);
        Optional<Value> destination = reader.value(body, "destination", Type.STRING, scope);
        if (source.isEmpty() || destination.isEmpty() || !usable(destination.get())) {
            return null;
        }
        if (Values.containsSensitive(destination.get())) {
            error(body.attribute("destination").value().range(), "a file's destination cannot be sensitive", "");
            return null;
        }
        String path = contentPath(source.get());
        String sha = path == null ? null : fileHash(path, body.attribute("source"), files);
        return sha == null ? null : new ProvisionStep.FileUpload(files.stackPath(path), sha, string(destination.get()), body.block().range());
    }

    private static String contentPath(Value v) {
        return usable(v) ? string(v) : null;
    }

    /** The SHA-256 of a file a step uploads or runs, or null with a diagnostic at the attribute. */
    String fileHash(String path, Attribute a, ModuleFiles files) {
        try {
            return BakeInputs.sha256(files.readBytes(path, 0));
        } catch (FunctionError e) {
            diagnostics.add(Diagnostic.error(a.value().range(), e.getMessage()).withHint(e.hint()));
            return null;
        }
    }

    // ---- components and images ----

    Value component(StackEvaluator.Node node, BlockReader reader, Scope scope, ModuleFiles files) {
        String what = "component \"" + node.name() + "\"";
        BlockReader.Body body = reader.read(node.block(), Schemas.COMPONENT_BLOCK, what);
        Optional<Value> description = reader.value(body, "description", Type.STRING, scope);
        List<ProvisionStep> steps = steps(node.block(), reader, scope, files, what);
        Address address = node.address();
        if (steps == null) {
            pending.put(address, "needs a value for one of its steps");
        } else {
            components.put(address, new ComponentSpec(address, description.filter(Decoder::usable).map(Decoder::string).orElse(""),
                    steps, node.block().range()));
        }
        return ref("component", address, Map.of("name", new Value.Str(node.name())));
    }

    Value image(StackEvaluator.Node node, BlockReader reader, Scope scope, ModuleFiles files) {
        String what = "image \"" + node.name() + "\"";
        Address address = node.address();
        BlockReader.Body body = reader.read(node.block(), Schemas.IMAGE_BLOCK, what);
        SourceSpec source = source(body, reader, scope, what);
        String instanceType = DEFAULT_BUILD_INSTANCE_TYPE;
        long timeout = DEFAULT_BUILD_TIMEOUT;
        BuilderNetwork builder = BuilderNetwork.DEFAULT;
        Block build = body.single("build");
        if (build != null) {
            BlockReader.Body b = reader.read(build, Schemas.BUILD, "build of " + what);
            Optional<Value> type = reader.value(b, "instance_type", Type.STRING, scope);
            Optional<Value> limit = reader.value(b, "timeout", Type.DURATION, scope);
            instanceType = type.filter(Decoder::usable).map(Decoder::string).orElse(instanceType);
            builder = new BuilderNetwork(
                    reader.value(b, "subnet", Type.STRING, scope).filter(Decoder::usable).map(Decoder::string).orElse(""),
                    reader.value(b, "security_groups", Schemas.STRINGS, scope).filter(Decoder::usable).map(Decoder::strings)
                            .orElse(List.of()),
                    reader.value(b, "iam_instance_profile", Type.STRING, scope).filter(Decoder::usable).map(Decoder::string)
                            .orElse(""));
            if (limit.isPresent() && usable(limit.get())) {
                timeout = millis(limit.get());
                if (timeout <= 0) {
                    error(b.attribute("timeout").value().range(), "a build timeout must be longer than 0s", "as in 30m");
                }
            }
        }
        List<Address> componentAddresses = new ArrayList<>();
        List<ProvisionStep> steps = new ArrayList<>();
        Optional<Value> componentList = reader.value(body, "components", new Type.ListOf(Schemas.COMPONENT), scope);
        boolean complete = true;
        if (componentList.isPresent()) {
            if (usable(componentList.get())) {
                for (Value c : Values.items(componentList.get())) {
                    Address a = address(c);
                    componentAddresses.add(a);
                    ComponentSpec spec = components.get(a);
                    if (spec != null) {
                        steps.addAll(spec.steps());
                    } else {
                        complete = false; // the component waits for a value, or has errors (reported)
                    }
                }
            } else {
                complete = false;
                pendingOn(address, Map.of("components", componentList));
            }
        }
        List<ProvisionStep> own = steps(node.block(), reader, scope, files, what);
        if (own == null) {
            complete = false;
            pending.put(address, "needs a value for one of its steps");
        } else {
            steps.addAll(own);
        }
        SortedMap<String, String> tags = new TreeMap<>();
        Optional<Value> tagValue = reader.value(body, "tags", new Type.MapOf(Type.STRING), scope);
        if (tagValue.isPresent() && usable(tagValue.get())) {
            tags = stringMap(tagValue.get());
        }
        List<String> inputTags = new ArrayList<>();
        Optional<Value> inputTagValue = reader.value(body, "input_tags", Schemas.STRINGS, scope);
        if (inputTagValue.isPresent() && usable(inputTagValue.get())) {
            if (tagValue.isPresent() && Values.containsSensitive(tagValue.get())) {
                error(body.attribute("input_tags").value().range(), "input tags cannot be sensitive",
                        "tags are visible in the cloud; pass secrets to steps in env");
            }
            for (String key : strings(inputTagValue.get())) {
                if (!tags.containsKey(key)) {
                    error(body.attribute("input_tags").value().range(), "input tag \"" + key + "\" is not one of the image's tags",
                            DidYouMean.hint(key, tags.keySet()));
                } else {
                    inputTags.add(key);
                }
            }
        }
        int keep = DEFAULT_KEEP;
        Optional<Value> keepValue = reader.value(body, "keep", Type.NUMBER, scope);
        if (keepValue.isPresent()) {
            Integer k = wholeNumber(keepValue.get(), body.attribute("keep"), what, 1);
            keep = k == null ? keep : k;
        }
        String hash = null;
        String canonical = null;
        String resolved = source == null || !complete ? null : resolvedSource(source);
        if (resolved != null) {
            SortedMap<String, String> hashedTags = new TreeMap<>();
            for (String key : inputTags) {
                hashedTags.put(key, tags.get(key));
            }
            canonical = BakeInputs.canonical(resolved, instanceType, timeout, steps, hashedTags);
            hash = BakeInputs.hash(canonical);
        }
        ImagePolicy policy = new ContainerBlocks(this).policy(body, reader, scope, what, false);
        if (source != null && policy != null) {
            images.put(address, new ImageSpec(address, source, instanceType, timeout, componentAddresses, steps, tags,
                    inputTags, keep, canonical, hash, node.block().range(), builder, null, policy));
        }
        Map<String, Value> attributes = new TreeMap<>();
        attributes.put("name", new Value.Str(node.name()));
        String knownId = hash == null ? null : imageIds.get(hash);
        attributes.put("id", knownId != null ? new Value.Str(knownId) : Value.Unknown.afterBake(Type.STRING));
        attributes.put("bake_hash", hash != null ? new Value.Str(hash) : new Value.Unknown(Type.STRING, Value.Unknown.AT_PLAN));
        attributes.put("source_age", new Value.Unknown(Type.DURATION, Value.Unknown.AT_PLAN));
        return ref("image", address, attributes);
    }

    /** The source's identity for the bake hash: an image id, or the parent's bake hash; null if not known yet. */
    private String resolvedSource(SourceSpec source) {
        if (source instanceof SourceSpec.ById byId) {
            return byId.id();
        }
        if (source instanceof SourceSpec.Layered layered) {
            ImageSpec parent = images.get(layered.image());
            return parent == null || parent.bakeHash() == null ? null : "image:" + parent.bakeHash();
        }
        return resolver.resolve(source).orElse(null);
    }

    private static final List<String> SOURCE_KEYS = List.of("id", "name_filter", "ssm_parameter", "image", "owners");

    /**
     * The image's source, from a {@code source { ... }} block or a {@code source = { ... }} attribute
     * (such as a preset of std/sources); null with a diagnostic when it is missing or wrong.
     */
    private SourceSpec source(BlockReader.Body body, BlockReader reader, Scope scope, String what) {
        Block block = body.single("source");
        Attribute attribute = body.attribute("source");
        Map<String, Value> given = new java.util.LinkedHashMap<>();
        Map<String, SourceRange> ranges = new java.util.HashMap<>();
        SourceRange at;
        if (block != null && attribute != null) {
            error(attribute.nameRange(), what + " has a source block and a source attribute", "keep one of them");
            return null;
        } else if (block != null) {
            at = block.typeRange();
            BlockReader.Body s = reader.read(block, Schemas.SOURCE, "source of " + what);
            for (String key : SOURCE_KEYS) {
                Schema.Attr attr = Schemas.SOURCE.attributes().get(key);
                Optional<Value> v = reader.value(s, key, attr.type(), scope);
                if (v.isPresent()) {
                    given.put(key, v.get());
                    ranges.put(key, s.attribute(key).value().range());
                }
            }
        } else if (attribute != null) {
            at = attribute.value().range();
            Value v = reader.value(body, "source", Type.OBJECT, scope).get();
            if (!usable(v)) {
                return null;
            }
            for (Map.Entry<String, Value> e : ((Value.MapVal) Values.unmarked(v)).entries().entrySet()) {
                Schema.Attr attr = Schemas.SOURCE.attributes().get(e.getKey());
                if (attr == null) {
                    String hint = DidYouMean.hint(e.getKey(), SOURCE_KEYS);
                    error(at, "a source has no attribute \"" + e.getKey() + "\"", hint.isEmpty() ? "it takes " + String.join(", ", SOURCE_KEYS) : hint);
                    return null;
                }
                Optional<Value> converted = Conversions.implicit(e.getValue(), attr.type());
                if (converted.isEmpty()) {
                    error(at, "\"" + e.getKey() + "\" of the source of " + what + " must be " + Conversions.article(attr.type())
                            + ", got " + Conversions.describe(e.getValue()), "");
                    return null;
                }
                given.put(e.getKey(), converted.get());
                ranges.put(e.getKey(), at);
            }
        } else {
            error(body.block().headerRange(), what + " has no source",
                    "add source { id = \"ami-...\" }, source { image = image.base } or source = sources.al2023");
            return null;
        }
        List<String> kinds = new ArrayList<>();
        for (String key : List.of("id", "name_filter", "ssm_parameter", "image")) {
            if (given.containsKey(key)) {
                kinds.add(key);
            }
        }
        if (kinds.size() != 1) {
            error(at, "the source of " + what + " needs exactly one of id, name_filter, ssm_parameter, image",
                    kinds.isEmpty() ? "as in id = \"ami-0123456789abcdef0\"" : "it has " + String.join(" and ", kinds));
            return null;
        }
        String kind = kinds.get(0);
        Value owners = given.get("owners");
        if (owners != null && !kind.equals("name_filter")) {
            error(ranges.get("owners"), "owners only goes with name_filter", "remove owners, or find the image by name_filter");
            return null;
        }
        Value v = given.get(kind);
        if (!usable(v)) {
            return null;
        }
        if (kind.equals("image")) {
            return new SourceSpec.Layered(address(v));
        }
        String text = string(v);
        switch (kind) {
            case "id":
                if (!text.matches("ami-[0-9a-f]{8}([0-9a-f]{9})?")) {
                    error(ranges.get("id"), "\"" + text + "\" is not an image id", "image ids look like ami-0123456789abcdef0");
                    return null;
                }
                return new SourceSpec.ById(text);
            case "name_filter":
                if (owners == null) {
                    error(ranges.get("name_filter"), "name_filter needs owners",
                            "say whose images to trust, as in owners = [\"amazon\"]");
                    return null;
                }
                return usable(owners) ? new SourceSpec.ByFilter(text, strings(owners)) : null;
            default:
                return new SourceSpec.BySsmParameter(text);
        }
    }

    // ---- rollouts ----

    private static final List<String> STRATEGIES = List.of("rolling", "canary", "blue_green");
    private static final List<String> ON_FAILURE = List.of("rollback", "pause", "continue");

    Value rollout(StackEvaluator.Node node, BlockReader reader, Scope scope) {
        String what = "rollout \"" + node.name() + "\"";
        Address address = node.address();
        BlockReader.Body body = reader.read(node.block(), Schemas.ROLLOUT_BLOCK, what);
        RolloutPolicy base = RolloutPolicy.defaults(address, node.block().range());
        Optional<Value> parent = reader.value(body, "extends", Schemas.ROLLOUT, scope);
        boolean complete = true;
        if (parent.isPresent()) {
            RolloutPolicy p = usable(parent.get()) ? rollouts.get(address(parent.get())) : null;
            if (p == null) {
                complete = false;
            } else {
                base = p;
            }
        }
        RolloutPolicy.Strategy strategy = base.strategy();
        Optional<Value> v = reader.value(body, "strategy", Type.STRING, scope);
        if (v.isPresent()) {
            String s = oneOf(v.get(), body.attribute("strategy"), what, STRATEGIES);
            complete &= s != null;
            strategy = s == null ? strategy : RolloutPolicy.Strategy.valueOf(s.toUpperCase(Locale.ROOT));
        }
        RolloutPolicy.OnFailure onFailure = base.onFailure();
        v = reader.value(body, "on_failure", Type.STRING, scope);
        if (v.isPresent()) {
            String s = oneOf(v.get(), body.attribute("on_failure"), what, ON_FAILURE);
            complete &= s != null;
            onFailure = s == null ? onFailure : RolloutPolicy.OnFailure.valueOf(s.toUpperCase(Locale.ROOT));
        }
        if (parent.isEmpty() && strategy == RolloutPolicy.Strategy.BLUE_GREEN) {
            // a second group at full size: all old instances stay healthy, and the total doubles
            base = new RolloutPolicy(address, strategy, BigDecimal.valueOf(100), BigDecimal.valueOf(200), base.warmupMillis(),
                    base.onFailure(), base.steps(), base.pauseMillis(), base.alarms(), base.bakeTimeMillis(),
                    base.verifyMillis(), base.drainMillis(), base.stepTimeoutMillis(), base.skipMatching(), base.range());
        }
        BigDecimal minHealthy = percentIn(body, reader, scope, "min_healthy", what, 0, 100, base.minHealthy());
        BigDecimal maxHealthy = percentIn(body, reader, scope, "max_healthy", what, 100, 200, base.maxHealthy());
        if (minHealthy != null && maxHealthy != null && body.attribute("min_healthy") != null
                && minHealthy.compareTo(maxHealthy) > 0) {
            error(body.attribute("min_healthy").value().range(), "min_healthy is above max_healthy", "");
        }
        List<BigDecimal> steps = base.steps();
        v = reader.value(body, "steps", new Type.ListOf(Type.PERCENT), scope);
        if (v.isPresent()) {
            steps = canarySteps(v.get(), body.attribute("steps"), what);
            complete &= steps != null;
        }
        if (strategy == RolloutPolicy.Strategy.CANARY && steps != null && steps.isEmpty()) {
            error(node.block().headerRange(), "a canary rollout needs steps", "as in steps = [10%, 50%, 100%]");
            complete = false;
        }
        long warmup = durationIn(body, reader, scope, "warmup", what, base.warmupMillis(), false);
        long pause = durationIn(body, reader, scope, "pause", what, base.pauseMillis(), false);
        long bakeTime = durationIn(body, reader, scope, "bake_time", what, base.bakeTimeMillis(), false);
        long verify = durationIn(body, reader, scope, "verify", what, base.verifyMillis(), false);
        long drain = durationIn(body, reader, scope, "drain", what, base.drainMillis(), false);
        long stepTimeout = durationIn(body, reader, scope, "step_timeout", what, base.stepTimeoutMillis(), true);
        if (stepTimeout >= 0 && warmup >= 0 && stepTimeout <= warmup && (body.attribute("step_timeout") != null
                || body.attribute("warmup") != null)) {
            Attribute at = body.attribute("step_timeout") != null ? body.attribute("step_timeout") : body.attribute("warmup");
            error(at.value().range(), "step_timeout of " + what + " (" + Durations.format(stepTimeout)
                    + ") leaves no time for the warm-up (" + Durations.format(warmup) + ")",
                    "a new instance boots, then warms up, within step_timeout: make it longer than warmup");
            complete = false;
        }
        if (strategy == RolloutPolicy.Strategy.BLUE_GREEN && onFailure == RolloutPolicy.OnFailure.PAUSE) {
            Attribute at = body.attribute("on_failure") != null ? body.attribute("on_failure") : body.attribute("strategy");
            error(at != null ? at.value().range() : node.block().headerRange(),
                    "a blue_green rollout cannot pause: traffic moves to the new group all at once",
                    "use on_failure = \"rollback\" (keep the old group serving) or \"continue\"");
            complete = false;
        }
        List<String> alarms = base.alarms();
        v = reader.value(body, "alarms", Schemas.STRINGS, scope);
        if (v.isPresent()) {
            complete &= usable(v.get());
            alarms = usable(v.get()) ? strings(v.get()) : alarms;
        }
        boolean skipMatching = base.skipMatching();
        v = reader.value(body, "skip_matching", Type.BOOL, scope);
        if (v.isPresent()) {
            complete &= usable(v.get());
            skipMatching = usable(v.get()) ? bool(v.get()) : skipMatching;
        }
        if (!complete || minHealthy == null || maxHealthy == null || warmup < 0 || pause < 0 || bakeTime < 0
                || verify < 0 || drain < 0 || stepTimeout < 0) {
            return ref("rollout", address, Map.of("name", new Value.Str(node.name())));
        }
        RolloutPolicy policy = new RolloutPolicy(address, strategy, minHealthy, maxHealthy, warmup, onFailure, steps, pause,
                alarms, bakeTime, verify, drain, stepTimeout, skipMatching, node.block().range());
        rollouts.put(address, policy);
        return ref("rollout", address, policyAttributes(node.name(), policy));
    }

    private static Map<String, Value> policyAttributes(String name, RolloutPolicy p) {
        Map<String, Value> a = new TreeMap<>();
        a.put("name", new Value.Str(name));
        a.put("strategy", new Value.Str(p.strategy().spelling()));
        a.put("min_healthy", new Value.Percent(p.minHealthy()));
        a.put("max_healthy", new Value.Percent(p.maxHealthy()));
        a.put("warmup", new Value.Duration(p.warmupMillis()));
        a.put("on_failure", new Value.Str(p.onFailure().spelling()));
        List<Value> steps = new ArrayList<>();
        p.steps().forEach(s -> steps.add(new Value.Percent(s)));
        a.put("steps", new Value.ListVal(steps));
        a.put("pause", new Value.Duration(p.pauseMillis()));
        List<Value> alarms = new ArrayList<>();
        p.alarms().forEach(s -> alarms.add(new Value.Str(s)));
        a.put("alarms", new Value.ListVal(alarms));
        a.put("bake_time", new Value.Duration(p.bakeTimeMillis()));
        a.put("verify", new Value.Duration(p.verifyMillis()));
        a.put("drain", new Value.Duration(p.drainMillis()));
        a.put("step_timeout", new Value.Duration(p.stepTimeoutMillis()));
        a.put("skip_matching", Value.Bool.of(p.skipMatching()));
        return a;
    }

    private BigDecimal percentIn(BlockReader.Body body, BlockReader reader, Scope scope, String name, String what,
                                 int low, int high, BigDecimal fallback) {
        Optional<Value> v = reader.value(body, name, Type.PERCENT, scope);
        if (v.isEmpty()) {
            return fallback;
        }
        if (!usable(v.get())) {
            return null;
        }
        BigDecimal p = percent(v.get());
        if (p.compareTo(BigDecimal.valueOf(low)) < 0 || p.compareTo(BigDecimal.valueOf(high)) > 0) {
            error(body.attribute(name).value().range(), "\"" + name + "\" in " + what + " must be between " + low + "% and "
                    + high + "%, got " + p.toPlainString() + "%", name.equals("max_healthy") ? "100% means no extra instances while rolling" : "");
            return null;
        }
        return p;
    }

    /** A duration attribute (0 or more, or more than 0 when {@code positive}); -1 after an error. */
    private long durationIn(BlockReader.Body body, BlockReader reader, Scope scope, String name, String what,
                            long fallback, boolean positive) {
        Optional<Value> v = reader.value(body, name, Type.DURATION, scope);
        if (v.isEmpty()) {
            return fallback;
        }
        if (!usable(v.get())) {
            return -1;
        }
        long ms = millis(v.get());
        if (ms < 0 || (positive && ms == 0)) {
            error(body.attribute(name).value().range(), "\"" + name + "\" in " + what + " must be "
                    + (positive ? "longer than 0s" : "0s or longer") + ", got " + Durations.format(ms), "");
            return -1;
        }
        return ms;
    }

    private List<BigDecimal> canarySteps(Value v, Attribute a, String what) {
        if (!usable(v)) {
            return null;
        }
        List<BigDecimal> steps = new ArrayList<>();
        BigDecimal previous = BigDecimal.ZERO;
        for (Value item : Values.items(v)) {
            BigDecimal p = percent(item);
            if (p.compareTo(previous) <= 0 || p.compareTo(BigDecimal.valueOf(100)) > 0) {
                error(a.value().range(), "the steps of " + what + " must rise from above 0% to at most 100%",
                        "as in [10%, 50%, 100%]");
                return null;
            }
            steps.add(p);
            previous = p;
        }
        if (!steps.isEmpty() && previous.compareTo(BigDecimal.valueOf(100)) != 0) {
            error(a.value().range(), "the last step of " + what + " must be 100%", "so that the whole fleet moves");
            return null;
        }
        return steps;
    }

    // ---- fleets ----

    private static final List<String> HEALTH_TYPES = List.of("ec2", "elb");

    Value fleet(StackEvaluator.Node node, BlockReader reader, ExprEvaluator evaluator, Scope scope) {
        String what = "fleet \"" + node.name() + "\"";
        Address address = node.address();
        BlockReader.Body body = reader.read(node.block(), Schemas.FLEET, what);
        Attribute forEach = body.attribute("for_each");
        if (forEach == null) {
            return fleetInstance(address, body, reader, scope, what);
        }
        Value collection = evaluator.eval(forEach.value(), scope);
        Value c = Values.unmarked(collection);
        if (Values.containsSensitive(collection)) {
            error(forEach.value().range(), "for_each cannot use sensitive values", "instance keys appear in addresses, plans and state");
            return ExprEvaluator.ERROR;
        }
        if (!usable(c)) {
            return new Value.Unknown(Type.OBJECT, c instanceof Value.Unknown u ? u.reason() : Value.Unknown.AT_PLAN);
        }
        SortedMap<String, Value> instances = new TreeMap<>();
        if (c instanceof Value.MapVal map) {
            map.entries().forEach((k, val) -> instances.put(k, val));
        } else if (c instanceof Value.ListVal list) {
            for (Value item : list.items()) {
                if (!(item instanceof Value.Str s)) {
                    error(forEach.value().range(), "for_each over a list needs strings, got " + Conversions.describe(item),
                            "or give a map: { key = value }");
                    return ExprEvaluator.ERROR;
                }
                if (instances.put(s.value(), s) != null) {
                    error(forEach.value().range(), "for_each lists " + Values.quote(s.value()) + " twice", "each key makes one fleet");
                    return ExprEvaluator.ERROR;
                }
            }
        } else {
            error(forEach.value().range(), "for_each needs a map or a list of strings, got " + Conversions.describe(collection), "");
            return ExprEvaluator.ERROR;
        }
        SortedMap<String, Value> refs = new TreeMap<>();
        for (Map.Entry<String, Value> instance : instances.entrySet()) {
            Map<String, Value> each = new TreeMap<>();
            each.put("key", new Value.Str(instance.getKey()));
            each.put("value", instance.getValue());
            Scope inner = scope.with(Map.of("each", Value.MapVal.of(each)));
            refs.put(instance.getKey(), fleetInstance(address.withKey(instance.getKey()), body, reader, inner, what));
        }
        return new Value.MapVal(refs);
    }

    private Value fleetInstance(Address address, BlockReader.Body body, BlockReader reader, Scope scope, String what) {
        Map<String, Value> attributes = new TreeMap<>();
        attributes.put("name", new Value.Str(address.key() == null ? address.name() : address.name() + "-" + address.key()));
        Optional<Value> image = reader.value(body, "image", Schemas.IMAGE, scope);
        Optional<Value> instanceType = reader.value(body, "instance_type", Type.STRING, scope);
        Integer min = size(body, reader, scope, "min", what, attributes);
        Integer max = size(body, reader, scope, "max", what, attributes);
        Integer desired = body.attribute("desired") == null ? min : size(body, reader, scope, "desired", what, attributes);
        attributes.putIfAbsent("desired", desired == null ? new Value.Unknown(Type.NUMBER, Value.Unknown.AT_PLAN) : Value.Num.of(desired));
        image.ifPresent(v -> attributes.put("image", v));
        instanceType.ifPresent(v -> attributes.put("instance_type", v));
        boolean sizesOk = min != null && max != null && desired != null;
        if (sizesOk && (min > max || desired < min || desired > max)) {
            Attribute at = body.attribute("desired") != null ? body.attribute("desired") : body.attribute("min");
            error(at.value().range(), "the sizes of " + what + " must keep min <= desired <= max",
                    "min is " + min + ", desired " + desired + ", max " + max);
            sizesOk = false;
        }
        List<String> subnets = listIn(body, reader, scope, "subnets", attributes);
        List<String> securityGroups = listIn(body, reader, scope, "security_groups", attributes);
        List<String> targetGroups = listIn(body, reader, scope, "target_groups", attributes);
        Optional<Value> iamProfile = reader.value(body, "iam_profile", Type.STRING, scope);
        Value userData = reader.value(body, "user_data", Type.STRING, scope).orElse(Value.Null.INSTANCE);
        Optional<Value> rollout = reader.value(body, "rollout", Schemas.ROLLOUT, scope);
        SortedMap<String, Value> tags = new TreeMap<>();
        Optional<Value> tagValue = reader.value(body, "tags", new Type.MapOf(Type.STRING), scope);
        boolean complete = sizesOk && subnets != null && securityGroups != null && targetGroups != null;
        if (tagValue.isPresent() && Values.unmarked(tagValue.get()) instanceof Value.MapVal map) {
            map.entries().forEach((k, item) -> tags.put(k, Values.markedLike(item, tagValue.get())));
        } else if (tagValue.isPresent()) {
            complete = false;
        }
        boolean preventDestroy = false;
        Optional<Value> prevent = reader.value(body, "prevent_destroy", Type.BOOL, scope);
        if (prevent.isPresent()) {
            complete &= usable(prevent.get());
            preventDestroy = usable(prevent.get()) && bool(prevent.get());
        }
        FleetSpec.HealthCheck health = health(body, reader, scope, what);
        complete &= health != null && image.isPresent() && usable(image.get()) && instanceType.isPresent()
                && usable(instanceType.get()) && iamProfile.map(Decoder::usable).orElse(true)
                && rollout.map(Decoder::usable).orElse(true) && !ExprEvaluator.isError(Values.unmarked(userData));
        if (complete && health.type().equals("elb") && targetGroups.isEmpty()) {
            diagnostics.add(Diagnostic.warning(body.single("health").typeRange(), "elb health checks in " + what + " need target_groups")
                    .withHint("without target groups no load balancer checks the instances"));
        }
        Map<String, Optional<Value>> waitedFor = new java.util.LinkedHashMap<>();
        for (String name : List.of("image", "instance_type", "min", "max", "desired", "subnets", "security_groups",
                "target_groups", "iam_profile", "rollout", "tags", "prevent_destroy")) {
            waitedFor.put(name, body.attribute(name) == null ? Optional.empty() : Optional.ofNullable(attributes.get(name)));
        }
        waitedFor.put("iam_profile", iamProfile);
        waitedFor.put("rollout", rollout);
        waitedFor.put("tags", tagValue.filter(v -> !(Values.unmarked(v) instanceof Value.MapVal)));
        if (!complete) {
            pendingOn(address, waitedFor);
        }
        if (complete) {
            fleets.put(address, new FleetSpec(address, address(image.get()), string(instanceType.get()), min, max, desired,
                    subnets, securityGroups, iamProfile.map(Decoder::string).orElse(null), userData, targetGroups, health,
                    rollout.map(Decoder::address).orElse(null), tags, preventDestroy, body.block().range(), containersInUse));
        }
        return ref("fleet", address, attributes);
    }

    private Integer size(BlockReader.Body body, BlockReader reader, Scope scope, String name, String what,
                         Map<String, Value> attributes) {
        Optional<Value> v = reader.value(body, name, Type.NUMBER, scope);
        if (v.isEmpty()) {
            return null;
        }
        attributes.put(name, v.get());
        return wholeNumber(v.get(), body.attribute(name), what, 0);
    }

    private List<String> listIn(BlockReader.Body body, BlockReader reader, Scope scope, String name,
                                Map<String, Value> attributes) {
        Optional<Value> v = reader.value(body, name, Schemas.STRINGS, scope);
        if (v.isEmpty()) {
            return List.of();
        }
        attributes.put(name, v.get());
        return usable(v.get()) ? strings(v.get()) : null;
    }

    private FleetSpec.HealthCheck health(BlockReader.Body body, BlockReader reader, Scope scope, String what) {
        Block block = body.single("health");
        if (block == null) {
            return FleetSpec.HealthCheck.DEFAULT;
        }
        BlockReader.Body h = reader.read(block, Schemas.HEALTH, "health of " + what);
        String type = FleetSpec.HealthCheck.DEFAULT.type();
        Optional<Value> t = reader.value(h, "type", Type.STRING, scope);
        if (t.isPresent()) {
            type = oneOf(t.get(), h.attribute("type"), "health of " + what, HEALTH_TYPES);
        }
        long grace = durationIn(h, reader, scope, "grace", "health of " + what, FleetSpec.HealthCheck.DEFAULT.graceMillis(), false);
        return type == null || grace < 0 ? null : new FleetSpec.HealthCheck(type, grace);
    }

    // ---- checks, outputs, provider, state ----

    void check(StackEvaluator.Node node, BlockReader reader, ExprEvaluator evaluator, Scope scope) {
        String what = "check \"" + node.name() + "\"";
        BlockReader.Body body = reader.read(node.block(), Schemas.CHECK, what);
        Severity severity = Severity.ERROR;
        Optional<Value> s = reader.value(body, "severity", Type.STRING, scope);
        if (s.isPresent()) {
            String text = oneOf(s.get(), body.attribute("severity"), what, List.of("error", "warning"));
            severity = "warning".equals(text) ? Severity.WARNING : Severity.ERROR;
        }
        if (body.nested("assert").isEmpty()) {
            error(node.block().headerRange(), what + " has no assert block", "add assert { condition = ...  message = \"...\" }");
        }
        List<CheckSpec.Assertion> assertions = new ArrayList<>();
        for (Block a : body.nested("assert")) {
            BlockReader.Body ab = reader.read(a, Schemas.ASSERT, "assert of " + what);
            Optional<Value> condition = reader.value(ab, "condition", Type.BOOL, scope);
            Optional<Value> message = reader.value(ab, "message", Type.STRING, scope);
            if (condition.isEmpty() || ExprEvaluator.isError(Values.unmarked(condition.get()))) {
                continue;
            }
            String text = message.filter(Decoder::usable).map(Decoder::string).orElse("(message not known yet)");
            SourceRange at = ab.attribute("condition").value().range();
            if (!usable(condition.get())) {
                assertions.add(new CheckSpec.Assertion(CheckSpec.Outcome.UNKNOWN, text, at));
            } else if (bool(condition.get())) {
                assertions.add(new CheckSpec.Assertion(CheckSpec.Outcome.PASSED, text, at));
            } else {
                assertions.add(new CheckSpec.Assertion(CheckSpec.Outcome.FAILED, text, at));
                diagnostics.add(new Diagnostic(severity, what + " failed", "", text, at));
            }
        }
        checks.add(new CheckSpec(node.address(), severity, assertions, node.block().range()));
    }

    void output(StackEvaluator.Node node, BlockReader reader, Scope scope) {
        String what = "output \"" + node.name() + "\"";
        BlockReader.Body body = reader.read(node.block(), Schemas.OUTPUT, what);
        Optional<Value> value = reader.value(body, "value", Type.ANY, scope);
        Optional<Value> description = reader.value(body, "description", Type.STRING, scope);
        Optional<Value> sensitiveValue = reader.value(body, "sensitive", Type.BOOL, scope);
        boolean sensitive = sensitiveValue.filter(Decoder::usable).map(Decoder::bool).orElse(false);
        if (value.isEmpty()) {
            return;
        }
        if (Values.containsSensitive(value.get()) && !sensitive) {
            error(body.attribute("value").value().range(), what + " shows a sensitive value",
                    "mark the output sensitive = true, so that it is never shown in clear");
            return;
        }
        Value shown = sensitive ? new Value.Sensitive(Functions.unmarkAll(value.get())) : value.get();
        outputs.put(node.address(), new OutputSpec(node.address(), shown,
                description.filter(Decoder::usable).map(Decoder::string).orElse(""), sensitive, node.block().range()));
    }

    ProviderConfig provider(StackEvaluator.Node node, BlockReader reader, Scope scope) {
        Block block = node.block();
        String name = block.labels().isEmpty() ? "" : block.labels().get(0).value();
        Schema schema = Schemas.provider(name);
        if (schema == null) {
            String hint = DidYouMean.hint(name, List.of("sim", "aws"));
            error(block.labels().isEmpty() ? block.typeRange() : block.labels().get(0).range(),
                    "unknown provider \"" + name + "\"", hint.isEmpty() ? "providers are \"sim\" (the simulated cloud) and \"aws\"" : hint);
            return ProviderConfig.SIMULATED;
        }
        String what = "provider \"" + name + "\"";
        BlockReader.Body body = reader.read(block, schema, what);
        SortedMap<String, Value> settings = new TreeMap<>();
        for (Schema.Attr attr : schema.attributes().values()) {
            reader.value(body, attr.name(), attr.type(), scope).ifPresent(v -> settings.put(attr.name(), v));
        }
        List<FaultSpec> faults = new ArrayList<>();
        for (Block b : body.nested("fault")) {
            FaultSpec fault = fault(b, reader, scope);
            if (fault != null) {
                faults.add(fault);
            }
        }
        return new ProviderConfig(name, settings, faults);
    }

    /** Limits of {@code rate}: beyond them no apply could finish, which tests nothing. */
    private static final Map<String, Integer> MAX_RATE = Map.of("api_errors", 50, "instance_dies", 50);

    /** One {@code fault "KIND" { … }} of {@code provider "sim"}; null when it has errors or waits for a value. */
    private FaultSpec fault(Block b, BlockReader reader, Scope scope) {
        List<String> kinds = Schemas.FAULTS.keySet().stream().sorted().toList();
        String kind = b.labels().size() == 1 ? b.labels().get(0).value() : "";
        Schema schema = Schemas.FAULTS.get(kind);
        if (schema == null) {
            SourceRange at = b.labels().isEmpty() ? b.typeRange() : b.labels().get(0).range();
            String hint = DidYouMean.hint(kind, kinds);
            error(at, "unknown fault \"" + kind + "\"", hint.isEmpty() ? "faults are " + String.join(", ", kinds) : hint);
            return null;
        }
        String what = "fault \"" + kind + "\"";
        BlockReader.Body body = reader.read(b, schema, what);
        Optional<Value> seed = reader.value(body, "seed", Type.NUMBER, scope);
        long seedValue = seed.filter(Decoder::usable).map(v -> ((Value.Num) Values.unmarked(v)).value().longValue()).orElse(0L);
        FaultSpec.Kind k = FaultSpec.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
        switch (k) {
            case UNHEALTHY, BAKE_FAILS -> {
                Optional<Value> image = reader.value(body, "image", Schemas.IMAGE, scope);
                if (image.isEmpty() || !usable(image.get())) {
                    return null;
                }
                return new FaultSpec(k, address(image.get()), null, null, null, seedValue, b.range());
            }
            case ALARM -> {
                Optional<Value> alarm = reader.value(body, "name", Type.STRING, scope);
                BigDecimal at = percentIn(body, reader, scope, "at", what, 0, 100, null);
                if (alarm.isEmpty() || !usable(alarm.get()) || at == null) {
                    return null;
                }
                return new FaultSpec(k, null, string(alarm.get()), at, null, seedValue, b.range());
            }
            default -> {
                BigDecimal rate = percentIn(body, reader, scope, "rate", what, 0, MAX_RATE.get(kind), null);
                return rate == null ? null : new FaultSpec(k, null, null, null, rate, seedValue, b.range());
            }
        }
    }

    StateConfig state(StackEvaluator.Node node, BlockReader reader, Scope scope) {
        BlockReader.Body body = reader.read(node.block(), Schemas.STATE, "state");
        String remote = reader.value(body, "git", Type.STRING, scope).filter(Decoder::usable).map(Decoder::string).orElse(null);
        String branch = reader.value(body, "branch", Type.STRING, scope).filter(Decoder::usable).map(Decoder::string)
                .orElse(StateConfig.LOCAL.branch());
        return new StateConfig(remote, branch);
    }
}
