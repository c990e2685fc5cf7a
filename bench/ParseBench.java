import dev.imm.diag.SourceFile;
import dev.imm.lang.ParseResult;
import dev.imm.lang.Parser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Parse time of generated stacks, warm and in process: is parsing linear in the input size?
 *
 * Run: ./imm version >/dev/null && java -cp target/imm.jar bench/ParseBench.java [blocks...]
 * Prints min/median/max milliseconds per parse for each size and the ratio of medians to the smallest.
 */
public final class ParseBench {
    private static final int WARMUP_ROUNDS = 15;
    private static final int MEASURED_ROUNDS = 31;

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {2000, 4000} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        List<SourceFile> files = new ArrayList<>();
        for (int size : sizes) {
            files.add(new SourceFile("bench-" + size + ".imm", generate(size)));
        }
        for (int round = 0; round < WARMUP_ROUNDS; round++) {
            for (SourceFile file : files) {
                check(Parser.parse(file));
            }
        }
        // sizes take turns within each round, so that drift of a shared machine hits every size alike
        List<List<Double>> times = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            times.add(new ArrayList<>());
        }
        for (int round = 0; round < MEASURED_ROUNDS; round++) {
            for (int i = 0; i < sizes.length; i++) {
                long start = System.nanoTime();
                check(Parser.parse(files.get(i)));
                times.get(i).add((System.nanoTime() - start) / 1e6);
            }
        }
        System.out.printf("%8s %10s %10s %10s %10s %13s %13s%n", "blocks", "bytes", "min ms", "median ms", "max ms",
                "median ratio", "min ratio");
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
            System.out.printf("%8d %10d %10.1f %10.1f %10.1f %13.2f %13.2f%n", sizes[i], files.get(i).text().length(),
                    t.get(0), median, t.get(t.size() - 1), median / baseMedian, t.get(0) / baseMin);
        }
    }

    private static void check(ParseResult result) {
        if (result.hasErrors()) {
            throw new IllegalStateException("generated input has errors: " + result.diagnostics().get(0));
        }
    }

    /** A stack of {@code blocks} top-level blocks shaped like real ones: fleets, images, rollouts. */
    static String generate(int blocks) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < blocks; i++) {
            switch (i % 3) {
                case 0:
                    s.append("fleet \"web").append(i).append("\" {\n")
                            .append("  image         = image.app").append(i % 7).append('\n')
                            .append("  instance_type = \"t3.small\"\n")
                            .append("  min           = 1\n  max           = 12\n  desired       = ").append(i % 5 + 1).append('\n')
                            .append("  subnets       = [\"subnet-0aa\", \"subnet-0bb\"]\n")
                            .append("  tags          = merge(local.tags, { name = \"web-${var.env}-").append(i).append("\" })\n")
                            .append("  health { type = \"elb\"  grace = 90s }\n")
                            .append("  rollout       = var.env == \"prod\" ? rollout.careful : rollouts.rolling\n")
                            .append("}\n\n");
                    break;
                case 1:
                    s.append("image \"app").append(i).append("\" {\n")
                            .append("  source { image = image.base }\n")
                            .append("  provision \"shell\" {\n    inline = [\"sudo /opt/install.sh ${var.app_version}\", \"echo done\"]\n  }\n")
                            .append("  user_data = <<-EOT\n    #cloud-config\n    runcmd: [\"start ").append(i).append("\"]\n  EOT\n")
                            .append("  keep = 5\n}\n\n");
                    break;
                default:
                    s.append("# policy ").append(i).append('\n')
                            .append("rollout \"r").append(i).append("\" {\n")
                            .append("  strategy    = \"canary\"\n  steps       = [5%, 25%, 100%]\n")
                            .append("  pause       = 10m\n  min_healthy = 90%\n")
                            .append("  alarms      = [for a in var.alarms : lower(a) if a != \"\"]\n")
                            .append("}\n\n");
            }
        }
        return s.toString();
    }
}
