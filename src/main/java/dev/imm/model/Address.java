package dev.imm.model;

import dev.imm.value.Values;

/**
 * Where a declared thing lives, with one spelling: {@code fleet.web}, {@code fleet.worker["eu"]},
 * {@code image.app}, {@code var.env}, and for blocks of an imported file {@code rollouts.canary} (the
 * import's name, then the block's). Addresses key state, plans, history, command-line arguments and
 * diagnostics; nobody builds their text by hand.
 */
public record Address(String module, String kind, String name, String key) implements Comparable<Address> {
    public Address {
        module = module == null ? "" : module;
    }

    public static Address of(String kind, String name) {
        return new Address("", kind, name, null);
    }

    /**
     * The address a block reference spells: {@code image.app}, {@code rollouts.canary} (a rollout of the
     * {@code rollouts} import), {@code fleet.worker["eu"]}. The kind says which block type it is.
     */
    public static Address parse(String kind, String text) {
        String key = null;
        int bracket = text.indexOf("[\"");
        String path = text;
        if (bracket >= 0 && text.endsWith("\"]")) {
            key = unquote(text.substring(bracket + 2, text.length() - 2));
            path = text.substring(0, bracket);
        }
        int dot = path.indexOf('.');
        String first = path.substring(0, dot);
        String name = path.substring(dot + 1);
        return first.equals(kind) ? new Address("", kind, name, key) : new Address(first, kind, name, key);
    }

    /** Undoes {@link Values#quote} (without the surrounding quotes). */
    private static String unquote(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '$' && s.startsWith("$${", i)) {
                out.append("${");
                i += 2;
            } else if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
            } else {
                char e = s.charAt(++i);
                switch (e) {
                    case 'n': out.append('\n'); break;
                    case 'r': out.append('\r'); break;
                    case 't': out.append('\t'); break;
                    case 'u':
                        out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                        break;
                    default: out.append(e);
                }
            }
        }
        return out.toString();
    }

    /** The address of one instance of a block with {@code for_each}. */
    public Address withKey(String instanceKey) {
        return new Address(module, kind, name, instanceKey);
    }

    /** The address without its instance key: the block as declared. */
    public Address declared() {
        return key == null ? this : new Address(module, kind, name, null);
    }

    public boolean isImported() {
        return !module.isEmpty();
    }

    /** By module, kind, name, then key (none first). */
    @Override
    public int compareTo(Address other) {
        // written out: plans sort thousands of addresses, and a chain of comparators is slow until compiled
        int c = module.compareTo(other.module);
        if (c == 0) {
            c = kind.compareTo(other.kind);
        }
        if (c == 0) {
            c = name.compareTo(other.name);
        }
        if (c == 0 && key != other.key) {
            c = key == null ? -1 : other.key == null ? 1 : key.compareTo(other.key);
        }
        return c;
    }

    @Override
    public String toString() {
        String base = module.isEmpty() ? kind + "." + name : module + "." + name;
        return key == null ? base : base + "[" + Values.quote(key) + "]";
    }
}
