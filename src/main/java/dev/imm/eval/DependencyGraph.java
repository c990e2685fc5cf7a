package dev.imm.eval;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Nodes and "depends on" edges, in insertion order. Gives an evaluation order in which every node comes
 * after what it depends on, and the cycles (strongly connected components with more than one node, or a
 * node that depends on itself), each in the order its members depend on one another. Linear in nodes
 * plus edges; iterative, so deep chains cannot overflow the stack.
 */
final class DependencyGraph<N> {
    private final Map<N, Set<N>> edges = new LinkedHashMap<>();

    void addNode(N node) {
        edges.computeIfAbsent(node, n -> new LinkedHashSet<>());
    }

    void addEdge(N from, N dependsOn) {
        addNode(from);
        addNode(dependsOn);
        edges.get(from).add(dependsOn);
    }

    Set<N> dependencies(N node) {
        return Collections.unmodifiableSet(edges.getOrDefault(node, Set.of()));
    }

    /** The result of ordering: nodes in dependency order, and the cycles found (whose nodes are left out). */
    record Order<N>(List<N> order, List<List<N>> cycles) {
    }

    Order<N> order() {
        // Tarjan's algorithm: components come out dependencies-first, which is the evaluation order
        Map<N, Integer> index = new HashMap<>();
        Map<N, Integer> low = new HashMap<>();
        Deque<N> stack = new ArrayDeque<>();
        Set<N> onStack = new java.util.HashSet<>();
        List<N> order = new ArrayList<>();
        List<List<N>> cycles = new ArrayList<>();
        int[] counter = {0};
        for (N start : edges.keySet()) {
            if (index.containsKey(start)) {
                continue;
            }
            Deque<Map.Entry<N, java.util.Iterator<N>>> work = new ArrayDeque<>();
            visit(start, index, low, stack, onStack, counter, work);
            while (!work.isEmpty()) {
                Map.Entry<N, java.util.Iterator<N>> top = work.peek();
                N node = top.getKey();
                if (top.getValue().hasNext()) {
                    N next = top.getValue().next();
                    if (!index.containsKey(next)) {
                        visit(next, index, low, stack, onStack, counter, work);
                    } else if (onStack.contains(next)) {
                        low.put(node, Math.min(low.get(node), index.get(next)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    N parent = work.peek().getKey();
                    low.put(parent, Math.min(low.get(parent), low.get(node)));
                }
                if (low.get(node).equals(index.get(node))) {
                    List<N> component = new ArrayList<>();
                    N member;
                    do {
                        member = stack.pop();
                        onStack.remove(member);
                        component.add(member);
                    } while (!member.equals(node));
                    if (component.size() == 1 && !edges.get(node).contains(node)) {
                        order.add(node);
                    } else {
                        cycles.add(cycleOrder(component));
                    }
                }
            }
        }
        return new Order<>(order, cycles);
    }

    private void visit(N node, Map<N, Integer> index, Map<N, Integer> low, Deque<N> stack, Set<N> onStack,
                       int[] counter, Deque<Map.Entry<N, java.util.Iterator<N>>> work) {
        index.put(node, counter[0]);
        low.put(node, counter[0]);
        counter[0]++;
        stack.push(node);
        onStack.add(node);
        work.push(Map.entry(node, edges.get(node).iterator()));
    }

    /** The members of a cycle, starting at the first declared, each followed by one it depends on. */
    private List<N> cycleOrder(List<N> component) {
        Set<N> members = new LinkedHashSet<>(component);
        N first = null;
        for (N n : edges.keySet()) {
            if (members.contains(n)) {
                first = n;
                break;
            }
        }
        List<N> path = new ArrayList<>();
        Set<N> seen = new java.util.HashSet<>();
        N current = first;
        while (current != null && seen.add(current)) {
            path.add(current);
            N next = null;
            for (N dep : edges.get(current)) {
                if (members.contains(dep) && (!seen.contains(dep) || dep.equals(first))) {
                    next = dep;
                    if (!seen.contains(dep)) {
                        break;
                    }
                }
            }
            current = next;
        }
        return path;
    }
}
