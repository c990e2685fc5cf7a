package dev.imm.provider.oci;

import dev.imm.model.Address;
import dev.imm.model.PolicyCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A scanner the user has, run as a command ({@code trivy image --exit-code 1 {ref}}): split into words
 * (double quotes group), {@code {ref}} replaced by the image's digest reference, no shell, in the stack's
 * directory (a relative program path such as {@code scripts/scan.sh} is the stack's). Exit status 0
 * passes; any other fails, with the last line the scanner printed as the summary. A scanner that is not
 * installed, or that runs longer than ten minutes, fails the check: the gate fails closed.
 */
final class ScanCommand {
    private static final long TIMEOUT_MINUTES = 10;
    private static final int SUMMARY_LENGTH = 160;

    private ScanCommand() {
    }

    static PolicyCheck run(Address image, String reference, String command, java.nio.file.Path directory) {
        List<String> words = words(command.replace("{ref}", reference));
        if (words.isEmpty()) {
            return failed(image, reference, "the scan command is empty");
        }
        String program = words.get(0);
        if (program.contains("/") && !java.nio.file.Path.of(program).isAbsolute()) {
            words.set(0, directory.resolve(program).toAbsolutePath().normalize().toString());
        }
        Process process;
        try {
            process = new ProcessBuilder(words).directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return failed(image, reference, "the scanner \"" + program + "\" is not installed or cannot run, so the image"
                    + " is not let through (install it, or remove scan from the policy)");
        }
        try {
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return failed(image, reference, "the scanner ran longer than " + TIMEOUT_MINUTES + " minutes");
            }
            String summary = lastLine(new String(output, StandardCharsets.UTF_8));
            if (process.exitValue() == 0) {
                return new PolicyCheck(image, reference, "scan", PolicyCheck.Verdict.PASSED,
                        summary.isEmpty() ? "passed (" + program + ")" : summary);
            }
            return failed(image, reference, program + " exited with status " + process.exitValue()
                    + (summary.isEmpty() ? "" : ": " + summary));
        } catch (IOException e) {
            process.destroyForcibly();
            return failed(image, reference, "cannot read the scanner's output: " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return failed(image, reference, "interrupted while the scanner ran");
        }
    }

    private static PolicyCheck failed(Address image, String reference, String detail) {
        return new PolicyCheck(image, reference, "scan", PolicyCheck.Verdict.FAILED, detail);
    }

    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : command.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) {
                    words.add(word.toString());
                    word.setLength(0);
                    any = false;
                }
            } else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(word.toString());
        }
        return words;
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\\R");
        String last = lines.length == 0 ? "" : lines[lines.length - 1].strip();
        // control characters (colours) would garble a plan
        last = last.replaceAll("\\p{Cntrl}\\[[0-9;]*m", "").replaceAll("\\p{Cntrl}", "");
        return last.length() > SUMMARY_LENGTH ? last.substring(0, SUMMARY_LENGTH) + "…" : last;
    }
}
