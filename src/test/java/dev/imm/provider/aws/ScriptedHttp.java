package dev.imm.provider.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An SDK HTTP client that answers each query-protocol action from a script of response bodies in the
 * shapes AWS documents (the last body of an action repeats), and keeps every request's decoded
 * parameters, in order. The requests are the SDK's own marshalling of what the provider built.
 */
final class ScriptedHttp implements SdkHttpClient {
    private final Map<String, Deque<String>> script = new HashMap<>();
    private final List<Map<String, String>> requests = Collections.synchronizedList(new ArrayList<>());

    /** Answers {@code action} with {@code bodies}, one per call, the last one for every call after. */
    ScriptedHttp on(String action, String... bodies) {
        script.computeIfAbsent(action, a -> new ArrayDeque<>()).addAll(List.of(bodies));
        return this;
    }

    /** Answers {@code action} with {@code bodies} instead of what was scripted for it before. */
    ScriptedHttp instead(String action, String... bodies) {
        script.remove(action);
        return on(action, bodies);
    }

    List<Map<String, String>> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The actions called, in order. */
    List<String> actions() {
        return requests().stream().map(r -> r.get("Action")).toList();
    }

    /** The parameters of the first request for {@code action}. */
    Map<String, String> first(String action) {
        return requests().stream().filter(r -> action.equals(r.get("Action"))).findFirst()
                .orElseThrow(() -> new AssertionError(action + " was not called: " + actions()));
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                Map<String, String> params = new LinkedHashMap<>();
                String body;
                try {
                    body = request.contentStreamProvider().isPresent()
                            ? new String(request.contentStreamProvider().get().newStream().readAllBytes(), StandardCharsets.UTF_8) : "";
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                for (String pair : body.split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                                URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                }
                requests.add(params);
                String action = params.getOrDefault("Action", "");
                Deque<String> bodies = script.get(action);
                String answer = bodies == null || bodies.isEmpty() ? null : bodies.size() > 1 ? bodies.poll() : bodies.peek();
                int status = answer == null ? 400 : 200;
                if (answer == null) {
                    answer = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>not scripted: " + action
                            + "</Message></Error><RequestId>x</RequestId></ErrorResponse>";
                }
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(status).putHeader("Content-Type", "text/xml")
                                .putHeader("Content-Length", Integer.toString(bytes.length)).build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
                        .build();
            }

            @Override
            public void abort() {
            }
        };
    }

    @Override
    public void close() {
    }

    // ---- bodies in Auto Scaling's documented shapes ----

    static final String AUTOSCALING = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

    static String autoscaling(String action, String result) {
        return "<" + action + "Response xmlns=\"" + AUTOSCALING + "\"><" + action + "Result>" + result + "</" + action
                + "Result><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></" + action + "Response>";
    }

    static String autoscalingEmpty(String action) {
        return "<" + action + "Response xmlns=\"" + AUTOSCALING + "\"><ResponseMetadata><RequestId>x</RequestId>"
                + "</ResponseMetadata></" + action + "Response>";
    }

    /** DescribeInstanceRefreshes with one refresh. */
    static String refresh(String id, String status, Integer percent, Integer toUpdate, String reason) {
        return autoscaling("DescribeInstanceRefreshes", "<InstanceRefreshes><member><InstanceRefreshId>" + id + "</InstanceRefreshId>"
                + "<AutoScalingGroupName>web</AutoScalingGroupName><Status>" + status + "</Status>"
                + (reason == null ? "" : "<StatusReason>" + reason + "</StatusReason>")
                + (percent == null ? "" : "<PercentageComplete>" + percent + "</PercentageComplete>")
                + (toUpdate == null ? "" : "<InstancesToUpdate>" + toUpdate + "</InstancesToUpdate>")
                + "<StartTime>2026-01-01T00:00:00Z</StartTime></member></InstanceRefreshes>");
    }

    /** DescribeAutoScalingGroups with group {@code web}: {@code healthy} of 4 instances in service and healthy. */
    static String group(int healthy, String rollingTag) {
        StringBuilder instances = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            instances.append("<member><InstanceId>i-").append(i).append("</InstanceId><LifecycleState>")
                    .append(i < healthy ? "InService" : "Pending").append("</LifecycleState><HealthStatus>Healthy</HealthStatus></member>");
        }
        String tags = "<member><ResourceId>web</ResourceId><Key>imm:fleet</Key><Value>fleet.web</Value></member>"
                + "<member><ResourceId>web</ResourceId><Key>imm:stack</Key><Value>shop</Value></member>"
                + (rollingTag == null ? "" : "<member><ResourceId>web</ResourceId><Key>imm:rolling</Key><Value>" + rollingTag + "</Value></member>");
        return autoscaling("DescribeAutoScalingGroups", "<AutoScalingGroups><member><AutoScalingGroupName>web</AutoScalingGroupName>"
                + "<LaunchTemplate><LaunchTemplateId>lt-1</LaunchTemplateId><Version>1</Version></LaunchTemplate>"
                + "<MinSize>2</MinSize><MaxSize>8</MaxSize><DesiredCapacity>4</DesiredCapacity><VPCZoneIdentifier>subnet-0aa</VPCZoneIdentifier>"
                + "<Instances>" + instances + "</Instances><Tags>" + tags + "</Tags></member></AutoScalingGroups>");
    }
}
