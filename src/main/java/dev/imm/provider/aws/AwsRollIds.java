package dev.imm.provider.aws;

/**
 * Roll ids as imm journals them and as the {@code imm:rolling} tag of a group holds them:
 * {@code refresh:GROUP:REFRESH-ID} for an instance refresh ({@code refresh} alone on the tag until the
 * refresh has its id), {@code blue-green:GROUP:NEW-GROUP} for a blue/green rollout. Group names that imm
 * makes never hold a colon.
 */
final class AwsRollIds {
    static final String REFRESH = "refresh";
    static final String BLUE_GREEN = "blue-green:";

    private AwsRollIds() {
    }

    static String refresh(String group, String refreshId) {
        return REFRESH + ":" + group + ":" + refreshId;
    }

    static String blueGreen(String group, String newGroup) {
        return BLUE_GREEN + group + ":" + newGroup;
    }

    /** The group a roll id names (the old group, for blue/green). */
    static String group(String rollId) {
        String rest = rollId.substring(rollId.indexOf(':') + 1);
        int colon = rest.indexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
    }

    /** The last part: the refresh id, or the new group of a blue/green rollout. */
    static String last(String rollId) {
        return rollId.substring(rollId.lastIndexOf(':') + 1);
    }

    static String greenGroup(String rollId) {
        return last(rollId);
    }

    static boolean isBlueGreen(String rollId) {
        return rollId.startsWith(BLUE_GREEN);
    }
}
