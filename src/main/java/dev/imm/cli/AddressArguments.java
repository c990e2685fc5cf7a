package dev.imm.cli;

import dev.imm.model.Address;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;

/** Reads addresses given on the command line ({@code fleet.web}, {@code fleet.worker["eu"]}, {@code image.app}). */
final class AddressArguments {
    private static final Set<String> KINDS = Set.of("image", "container", "fleet");

    private AddressArguments() {
    }

    static Set<Address> parse(List<String> texts, CommandLine commandLine) {
        Set<Address> addresses = new LinkedHashSet<>();
        for (String text : texts) {
            int dot = text.indexOf('.');
            String kind = dot < 0 ? "" : text.substring(0, dot);
            if (!KINDS.contains(kind) || dot == text.length() - 1) {
                throw new CommandLine.ParameterException(commandLine,
                        "not an address: " + text + " (give image.NAME, container.NAME, fleet.NAME or fleet.NAME[\"KEY\"])");
            }
            addresses.add(Address.parse(kind, text));
        }
        return addresses;
    }
}
