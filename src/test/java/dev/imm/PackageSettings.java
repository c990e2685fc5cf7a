package dev.imm;

import org.approvaltests.core.ApprovalFailureReporter;
import org.approvaltests.reporters.QuietReporter;

/**
 * ApprovalTests settings for every package of imm's tests (read by name, by reflection, from here): approved files live in
 * {@code approved/} beside the tests, and a mismatch never opens a diff tool (CI has no terminal or
 * desktop). A failing verification leaves {@code NAME.received.EXT} beside the approved file (ignored by
 * Git) and prints the command that accepts it; review the difference, then rename it to
 * {@code NAME.approved.EXT}. Setting {@code APPROVAL_TESTS_USE_REPORTER} (for example to {@code DiffMergeReporter}) in the environment still picks a diff
 * tool locally.
 */
public class PackageSettings {
    public static String UseApprovalSubdirectory = "approved";
    public static ApprovalFailureReporter UseReporter = QuietReporter.INSTANCE;
}
