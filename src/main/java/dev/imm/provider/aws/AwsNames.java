package dev.imm.provider.aws;

import dev.imm.model.Address;
import dev.imm.model.BakeInputs;

/**
 * Names of what imm creates, derived from the stack and the address, so that the same fleet always
 * gets the same launch template and the same family of group names. Launch templates and groups allow
 * letters, digits and {@code ( ) . / _ -}: other characters (the quotes and brackets of
 * {@code fleet.worker["eu"]}) become {@code _}, and a short hash of the address then keeps two
 * addresses that read alike apart.
 */
final class AwsNames {
    private AwsNames() {
    }

    /** {@code imm-shop-fleet.web}: the fleet's launch template, and the start of its groups' names. */
    static String fleetBase(String stack, Address fleet) {
        String raw = "imm-" + stack + "-" + fleet;
        String safe = raw.replaceAll("[^A-Za-z0-9()./_-]", "_");
        if (!safe.equals(raw)) {
            safe = safe + "-" + BakeInputs.sha256(raw).substring(0, 8);
        }
        return safe.length() <= 100 ? safe : safe.substring(0, 91) + "-" + BakeInputs.sha256(raw).substring(0, 8);
    }

    /** A group of the fleet running launch template version {@code version}: {@code imm-shop-fleet.web-v3}. */
    static String group(String stack, Address fleet, long version) {
        return fleetBase(stack, fleet) + "-v" + version;
    }

    /** The name of an image: {@code imm/shop/image.web/1a2b3c4d5e6f} (AMI names must be unique per account). */
    static String image(String stack, Address image, String bakeHash) {
        String raw = "imm/" + stack + "/" + image + "/" + bakeHash.substring(0, Math.min(12, bakeHash.length()));
        return raw.replaceAll("[^A-Za-z0-9()\\[\\]./\\-'@_ ]", "_");
    }

    /** The blue/green partner of a target group: at most 32 characters, as ELB allows. */
    static String partnerTargetGroup(String declaredArn) {
        return "imm-bg-" + BakeInputs.sha256(declaredArn).substring(0, 20);
    }
}
