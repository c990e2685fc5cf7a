package dev.imm.provider.aws;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Records every SDK call the provider makes ({@code Ec2:DescribeImages}), once per call, retries not counted. */
final class CallRecorder implements ExecutionInterceptor {
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    Map<String, Integer> counts() {
        Map<String, Integer> counts = new TreeMap<>();
        calls().forEach(c -> counts.merge(c, 1, Integer::sum));
        return counts;
    }

    void clear() {
        calls.clear();
    }
}
