package dev.imm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version of imm.")
final class VersionCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        main.out.println(version());
        return ExitCode.OK;
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return "imm " + (v == null ? "(development build)" : v) + " on Java " + System.getProperty("java.version");
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {version()};
        }
    }
}
