package dev.imm.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Orders images so that every image comes after the image it is layered on (its {@code source}), with
 * ties broken by address. Layering has no cycles: evaluation rejects them.
 */
public final class ImageLayers {
    private ImageLayers() {
    }

    public static List<ImageSpec> parentsFirst(Collection<ImageSpec> images) {
        Map<Address, ImageSpec> byAddress = new TreeMap<>();
        images.forEach(i -> byAddress.put(i.address(), i));
        List<ImageSpec> ordered = new ArrayList<>();
        Set<Address> placed = new HashSet<>();
        for (ImageSpec image : byAddress.values()) {
            place(image, byAddress, placed, ordered);
        }
        return ordered;
    }

    private static void place(ImageSpec image, Map<Address, ImageSpec> byAddress, Set<Address> placed, List<ImageSpec> ordered) {
        if (placed.contains(image.address())) {
            return;
        }
        if (image.source() instanceof SourceSpec.Layered layered && byAddress.containsKey(layered.image())) {
            place(byAddress.get(layered.image()), byAddress, placed, ordered);
        }
        placed.add(image.address());
        ordered.add(image);
    }
}
