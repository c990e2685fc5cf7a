package dev.imm.cli;

import dev.imm.diag.Diagnostic;
import dev.imm.lang.SourceReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

final class InitCommand extends Verb {
    static final String MAIN = String.join("\n",
            "# A first stack, written by imm init: one golden image, one rollout policy and one fleet, on the",
            "# built-in simulated cloud (there is no provider block, so nothing here touches a real cloud).",
            "",
            "# The golden image: a base image plus what scripts/install.sh sets up. The script's content is a",
            "# bake input: edit it, and the next plan bakes a new image and rolls the fleet onto it.",
            "image \"app\" {",
            "  source {",
            "    id = \"ami-0123456789abcdef0\"",
            "  }",
            "",
            "  provision \"shell\" {",
            "    script = \"scripts/install.sh\"",
            "  }",
            "",
            "  keep = 3",
            "}",
            "",
            "# Replace instances a few at a time, keeping at least 75% of the fleet healthy.",
            "rollout \"rolling\" {",
            "  strategy    = \"rolling\"",
            "  min_healthy = 75%",
            "  max_healthy = 125%",
            "  warmup      = 1m",
            "  on_failure  = \"rollback\"",
            "}",
            "",
            "fleet \"app\" {",
            "  image         = image.app",
            "  instance_type = \"t3.small\"",
            "  min           = 2",
            "  max           = 4",
            "  desired       = 2",
            "  rollout       = rollout.rolling",
            "}",
            "",
            "output \"app_image\" {",
            "  value = image.app.id",
            "}",
            "");

    static final String INSTALL = String.join("\n",
            "#!/usr/bin/env bash",
            "# Provisions the image: runs once on the builder instance while the image is baked.",
            "# Its content is a bake input: change it, and the next plan bakes a new image.",
            "set -euo pipefail",
            "",
            "sudo dnf -y -q install nginx",
            "sudo systemctl enable nginx",
            "");

    static final String IGNORED = ".imm/";

    Path dir = Path.of(".");

    InitCommand(Main main) {
        super(main, "init", Model.lines("Write a first stack into DIR (created if missing): main.imm with one image, one rollout "
                + "policy and one fleet on the built-in simulated cloud, the image's provisioning script "
                + "scripts/install.sh, and a .gitignore for .imm/. A directory that already holds .imm "
                + "files is refused; an existing script or .gitignore is kept."),
                "", "Examples:", "  imm init shop && imm plan shop", "  imm init");
        spec.addPositional(Model.directory("0", "Where to write the stack (default: current directory).", () -> dir, v -> dir = v));
    }

    @Override
    public Integer call() {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            return ErrorReport.print(main, Diagnostic.error(null, dir + " is not a directory")
                    .withDetail("imm init writes a stack into a directory; give one that does not exist yet or is a directory."));
        }
        Path current = null;
        try {
            if (Files.isDirectory(dir)) {
                List<Path> stackFiles = SourceReader.stackFiles(dir);
                if (!stackFiles.isEmpty()) {
                    return ErrorReport.print(main, Diagnostic.error(null, dir + " already holds a stack")
                            .withDetail("It has .imm files (" + stackFiles.get(0).getFileName() + (stackFiles.size() > 1
                                    ? " and " + (stackFiles.size() - 1) + " more" : "") + "), and imm init never overwrites a "
                                    + "stack. Run imm validate " + dir + " to check it, or give another directory."));
                }
            }
            Files.createDirectories(dir);
            current = dir.resolve("main.imm");
            Files.writeString(current, MAIN, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            main.out.println("Created " + current);
            current = dir.resolve("scripts").resolve("install.sh");
            if (Files.exists(current)) {
                main.out.println("Kept " + current + " (it exists already)");
            } else {
                Files.createDirectories(current.getParent());
                Files.writeString(current, INSTALL, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
                executable(current);
                main.out.println("Created " + current);
            }
            current = dir.resolve(".gitignore");
            if (!Files.exists(current)) {
                Files.writeString(current, IGNORED + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
                main.out.println("Created " + current);
            } else if (Files.readAllLines(current, StandardCharsets.UTF_8).stream().map(String::strip)
                    .noneMatch(line -> line.equals(IGNORED) || line.equals(".imm"))) {
                String text = Files.readString(current, StandardCharsets.UTF_8);
                Files.writeString(current, (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + IGNORED + "\n",
                        StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                main.out.println("Added " + IGNORED + " to " + current);
            }
        } catch (IOException e) {
            return ErrorReport.print(main, Diagnostic.error(null, "cannot write " + (current == null ? dir : current))
                    .withDetail(String.valueOf(e.getMessage())));
        }
        main.out.println();
        main.out.println("Next: imm plan " + dir + " shows what the first apply bakes and creates; "
                + "imm apply " + dir + " does it.");
        return ExitCode.OK;
    }

    private static void executable(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX modes: the provisioner runs the script with its interpreter anyway
        }
    }
}
