import dev.imm.diag.Diagnostics;
import dev.imm.eval.Evaluation;
import dev.imm.eval.Module;
import dev.imm.eval.ModuleLoader;
import dev.imm.eval.StackEvaluator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Time to read, parse and evaluate a generated stack of N fleets (with images, components, rollouts and
 * locals they use), warm and in process: does evaluation stay linear?
 *
 * Run: ./imm version >/dev/null && java -cp target/imm.jar bench/EvalBench.java [fleets...]
 */
public final class EvalBench {
    private static final int WARMUP_ROUNDS = 8;
    private static final int MEASURED_ROUNDS = 15;

    public static void main(String[] args) throws IOException {
        int[] sizes = args.length == 0 ? new int[] {1000, 2000, 4000} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        List<Path> stacks = new ArrayList<>();
        for (int size : sizes) {
            stacks.add(generate(size));
        }
        for (int round = 0; round < WARMUP_ROUNDS; round++) {
            for (int i = 0; i < sizes.length; i++) {
                run(stacks.get(i), sizes[i]);
            }
        }
        List<List<Double>> times = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            times.add(new ArrayList<>());
        }
        for (int round = 0; round < MEASURED_ROUNDS; round++) {
            for (int i = 0; i < sizes.length; i++) {
                long start = System.nanoTime();
                run(stacks.get(i), sizes[i]);
                times.get(i).add((System.nanoTime() - start) / 1e6);
            }
        }
        System.out.printf("%8s %10s %10s %10s %13s %13s%n", "fleets", "min ms", "median ms", "max ms", "median ratio", "min ratio");
        double baseMedian = 0;
        double baseMin = 0;
        for (int i = 0; i < sizes.length; i++) {
            List<Double> t = times.get(i);
            Collections.sort(t);
            double median = t.get(t.size() / 2);
            if (i == 0) {
                baseMedian = median;
                baseMin = t.get(0);
            }
            System.out.printf("%8d %10.1f %10.1f %10.1f %13.2f %13.2f%n", sizes[i], t.get(0), median, t.get(t.size() - 1),
                    median / baseMedian, t.get(0) / baseMin);
        }
    }

    private static void run(Path stack, int fleets) {
        Diagnostics diagnostics = new Diagnostics();
        Module module = new ModuleLoader(diagnostics).loadStack(stack);
        Evaluation evaluation = StackEvaluator.evaluate(module, StackEvaluator.Options.VALIDATE, diagnostics);
        if (diagnostics.hasErrors() || evaluation.desired().fleets().size() != fleets) {
            throw new IllegalStateException("generated stack did not evaluate: " + diagnostics.sorted());
        }
    }

    /** A stack of {@code fleets} fleets in files of 250, sharing 20 images, 10 rollouts and some locals. */
    static Path generate(int fleets) throws IOException {
        Path dir = Files.createTempDirectory("imm-eval-bench-" + fleets);
        dir.toFile().deleteOnExit();
        StringBuilder shared = new StringBuilder();
        shared.append("variable \"env\" {\n  default = \"staging\"\n}\n\n");
        shared.append("locals {\n  tags = { team = \"shop\", env = var.env }\n  subnets = [\"subnet-0aa\", \"subnet-0bb\"]\n}\n\n");
        shared.append("component \"agent\" {\n  provision \"shell\" { inline = [\"sudo systemctl enable agent\"] }\n}\n\n");
        shared.append("image \"base\" {\n  source { id = \"ami-0123456789abcdef0\" }\n  components = [component.agent]\n}\n\n");
        for (int i = 0; i < 20; i++) {
            shared.append("image \"app").append(i).append("\" {\n  source { image = image.base }\n")
                    .append("  provision \"shell\" { inline = [\"sudo /opt/install.sh ").append(i).append("\"] }\n")
                    .append("  tags = local.tags\n}\n\n");
        }
        for (int i = 0; i < 10; i++) {
            shared.append("rollout \"r").append(i).append("\" {\n  strategy    = \"canary\"\n  steps       = [10%, 50%, 100%]\n")
                    .append("  min_healthy = ").append(80 + i).append("%\n}\n\n");
        }
        Files.writeString(dir.resolve("shared.imm"), shared.toString());
        for (int file = 0; file * 250 < fleets; file++) {
            StringBuilder s = new StringBuilder();
            for (int i = file * 250; i < Math.min(fleets, (file + 1) * 250); i++) {
                s.append("fleet \"web").append(i).append("\" {\n")
                        .append("  image         = image.app").append(i % 20).append('\n')
                        .append("  instance_type = \"t3.small\"\n")
                        .append("  min           = 1\n  max           = 12\n  desired       = ").append(i % 5 + 1).append('\n')
                        .append("  subnets       = local.subnets\n")
                        .append("  tags          = merge(local.tags, { name = \"web-${var.env}-").append(i).append("\" })\n")
                        .append("  health { type = \"ec2\"  grace = 90s }\n")
                        .append("  rollout       = var.env == \"prod\" ? rollout.r1 : rollout.r").append(i % 10).append('\n')
                        .append("}\n\n");
            }
            Files.writeString(dir.resolve(String.format("fleets-%03d.imm", file)), s.toString());
        }
        return dir;
    }
}
