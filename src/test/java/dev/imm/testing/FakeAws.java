package dev.imm.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A read-only AWS endpoint on 127.0.0.1 for tests that need no real one: it answers the calls a plan
 * makes (STS GetCallerIdentity, SSM GetParameter, EC2 DescribeImages, DescribeLaunchTemplateVersions and
 * DescribeInstances, Auto Scaling DescribeAutoScalingGroups and DescribeInstanceRefreshes) in the
 * documented response shapes, paginated with AWS's page sizes, from a stack of {@code fleets} fleets that
 * each run one group on the latest version of their launch template. It records every call it is sent
 * ({@code service:Action}) and answers any other call with the error an endpoint gives for an action it
 * does not know, so a test sees every write a plan would have made. {@link #refuse} makes a call fail
 * with an error code (AccessDenied, say).
 */
public final class FakeAws implements AutoCloseable {
    public static final String ACCOUNT = "123456789012";
    public static final String PUBLIC_IMAGE = "ami-0c2a5f1e7d3b49a61";
    private static final Pattern SERVICE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request");

    private final HttpServer server;
    private final String stack;
    private final int fleets;
    private final String image;
    private final String bakeHash;
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> refusals = new ConcurrentHashMap<>();
    private volatile String published = PUBLIC_IMAGE;

    private FakeAws(String stack, int fleets, String image, String bakeHash) {
        this.stack = stack;
        this.fleets = fleets;
        this.image = image;
        this.bakeHash = bakeHash;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * An endpoint holding a stack of {@code fleets} fleets ({@code fleet.f0001} …) running image
     * {@code image.app} ({@code ami-…}, with bake hash {@code bakeHash}) on two instances each.
     */
    public static FakeAws start(String stack, int fleets, String bakeHash) {
        return new FakeAws(stack, fleets, "ami-0aaaaaaaaaaaaaaa1", bakeHash);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every call received so far, in order: {@code ec2:DescribeImages}. */
    public List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public void clearCalls() {
        calls.clear();
    }

    /** Makes every public parameter hold {@code imageId} from now on: the publisher released a new image. */
    public void publish(String imageId) {
        published = imageId;
    }

    /** Makes {@code call} ({@code ec2:DescribeImages}) fail with {@code code} (403). */
    public void refuse(String call, String code) {
        refusals.put(call, code);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static String fleetName(int i) {
        return String.format("fleet.f%04d", i);
    }

    // ---- dispatch ----

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        Matcher m = SERVICE.matcher(auth);
        String service = m.find() ? m.group(1) : "unknown";
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        Map<String, String> params = target != null ? Map.of() : form(body);
        String action = target != null ? target.substring(target.indexOf('.') + 1) : params.getOrDefault("Action", "");
        String call = service + ":" + action;
        calls.add(call);
        String refused = refusals.get(call);
        if (refused != null) {
            reply(exchange, 403, target != null ? json("{\"__type\":\"" + refused + "\",\"message\":\"not allowed\"}")
                    : service.equals("ec2") ? ec2Error(refused) : queryError(refused));
            return;
        }
        Function<Map<String, String>, String> answer = switch (call) {
            case "sts:GetCallerIdentity" -> p -> query("GetCallerIdentity", "https://sts.amazonaws.com/doc/2011-06-15/",
                    "<Arn>arn:aws:iam::" + ACCOUNT + ":user/test</Arn><UserId>AIDATEST</UserId><Account>" + ACCOUNT + "</Account>");
            case "ec2:DescribeImages" -> this::describeImages;
            case "ec2:DescribeLaunchTemplateVersions" -> this::describeLaunchTemplateVersions;
            case "ec2:DescribeInstances" -> this::describeInstances;
            case "autoscaling:DescribeAutoScalingGroups" -> this::describeGroups;
            case "autoscaling:DescribeInstanceRefreshes" -> p -> query("DescribeInstanceRefreshes",
                    "http://autoscaling.amazonaws.com/doc/2011-01-01/", "<InstanceRefreshes/>");
            default -> null;
        };
        if (call.equals("ssm:GetParameter")) {
            reply(exchange, 200, json("{\"Parameter\":{\"Name\":\"/aws/service/test\",\"Type\":\"String\",\"Value\":\""
                    + published + "\",\"Version\":1}}"));
        } else if (answer == null) {
            reply(exchange, 400, service.equals("ec2") ? ec2Error("InvalidAction") : queryError("InvalidAction"));
        } else {
            reply(exchange, 200, xml(answer.apply(params)));
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private record Reply(String contentType, String text) {
    }

    private static Reply xml(String text) {
        return new Reply("text/xml", text);
    }

    private static Reply json(String text) {
        return new Reply("application/x-amz-json-1.1", text);
    }

    private static void reply(HttpExchange exchange, int status, Reply reply) throws IOException {
        byte[] bytes = reply.text().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", reply.contentType());
        exchange.getResponseHeaders().add("x-amzn-RequestId", "fake");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Reply ec2Error(String code) {
        return xml("<Response><Errors><Error><Code>" + code + "</Code><Message>refused by the test endpoint</Message></Error>"
                + "</Errors><RequestID>fake</RequestID></Response>");
    }

    private static Reply queryError(String code) {
        return xml("<ErrorResponse><Error><Type>Sender</Type><Code>" + code + "</Code><Message>refused by the test endpoint"
                + "</Message></Error><RequestId>fake</RequestId></ErrorResponse>");
    }

    private static String query(String action, String namespace, String result) {
        return "<" + action + "Response xmlns=\"" + namespace + "\"><" + action + "Result>" + result + "</" + action
                + "Result><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></" + action + "Response>";
    }

    private static String ec2(String action, String result) {
        return "<" + action + "Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>fake</requestId>" + result
                + "</" + action + "Response>";
    }

    // ---- pages ----

    /** The items of one page and the token of the next ({@code null} at the end). */
    private record Page(int from, int to, String next) {
    }

    private static Page page(Map<String, String> params, String tokenKey, String maxKey, int total, int defaultSize, int maxSize) {
        int from = params.containsKey(tokenKey) ? Integer.parseInt(params.get(tokenKey)) : 0;
        int size = params.containsKey(maxKey) ? Math.min(maxSize, Integer.parseInt(params.get(maxKey))) : defaultSize;
        int to = Math.min(total, from + size);
        return new Page(from, to, to < total ? Integer.toString(to) : null);
    }

    private static boolean filters(Map<String, String> params, String name) {
        return params.entrySet().stream().anyMatch(e -> e.getKey().matches("Filter\\.\\d+\\.Name") && e.getValue().equals(name));
    }

    private static List<String> filterValues(Map<String, String> params, String name) {
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getKey().matches("Filter\\.\\d+\\.Name") && e.getValue().equals(name)) {
                String prefix = e.getKey().substring(0, e.getKey().length() - "Name".length()) + "Value.";
                return params.entrySet().stream().filter(v -> v.getKey().startsWith(prefix)).map(Map.Entry::getValue).toList();
            }
        }
        return List.of();
    }

    // ---- ec2 ----

    private String describeImages(Map<String, String> params) {
        StringBuilder items = new StringBuilder();
        if (filters(params, "tag:imm:stack")) {
            items.append("<item><imageId>").append(image).append("</imageId><imageState>available</imageState>")
                    .append("<name>imm/").append(stack).append("/image.app</name><creationDate>2026-01-01T00:00:00.000Z</creationDate>")
                    .append("<tagSet>").append(tag("imm:stack", stack)).append(tag("imm:image", "image.app"))
                    .append(tag("imm:bake-hash", bakeHash)).append(tag("imm:source", PUBLIC_IMAGE)).append("</tagSet></item>");
        } else if (params.containsKey("ImageId.1")) {
            items.append("<item><imageId>").append(params.get("ImageId.1")).append("</imageId><imageState>available</imageState></item>");
        } else {
            items.append("<item><imageId>").append(PUBLIC_IMAGE).append("</imageId><imageState>available</imageState>")
                    .append("<name>al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64</name>")
                    .append("<creationDate>2024-12-12T20:03:11.000Z</creationDate></item>");
        }
        return ec2("DescribeImages", "<imagesSet>" + items + "</imagesSet>");
    }

    private String templateId(int i) {
        return String.format("lt-%017x", i + 1);
    }

    private String describeLaunchTemplateVersions(Map<String, String> params) {
        String only = params.get("LaunchTemplateId");
        List<Integer> which = new ArrayList<>();
        for (int i = 0; i < fleets; i++) {
            if (only == null || only.equals(templateId(i))) {
                which.add(i);
            }
        }
        Page page = page(params, "NextToken", "MaxResults", which.size(), 200, 200);
        StringBuilder items = new StringBuilder();
        for (int k = page.from(); k < page.to(); k++) {
            int i = which.get(k);
            items.append("<item><launchTemplateId>").append(templateId(i)).append("</launchTemplateId><launchTemplateName>imm-")
                    .append(stack).append('-').append(fleetName(i)).append("</launchTemplateName><versionNumber>1</versionNumber>")
                    .append("<launchTemplateData><imageId>").append(image).append("</imageId><instanceType>t3.small</instanceType>")
                    .append("</launchTemplateData></item>");
        }
        return ec2("DescribeLaunchTemplateVersions", "<launchTemplateVersionSet>" + items + "</launchTemplateVersionSet>"
                + (page.next() == null ? "" : "<nextToken>" + page.next() + "</nextToken>"));
    }

    private static String instanceId(int fleet, int n) {
        return String.format("i-%016x%d", fleet, n);
    }

    private String describeInstances(Map<String, String> params) {
        List<String> ids = new ArrayList<>();
        if (filters(params, "tag:imm:stack")) {
            for (int i = 0; i < fleets; i++) {
                ids.add(instanceId(i, 0));
                ids.add(instanceId(i, 1));
            }
        } else {
            ids.addAll(filterValues(params, "instance-id"));
        }
        Page page = page(params, "NextToken", "MaxResults", ids.size(), 1000, 1000);
        StringBuilder items = new StringBuilder("<item><reservationId>r-fake</reservationId><instancesSet>");
        for (int k = page.from(); k < page.to(); k++) {
            items.append("<item><instanceId>").append(ids.get(k)).append("</instanceId><imageId>").append(image)
                    .append("</imageId><instanceState><code>16</code><name>running</name></instanceState></item>");
        }
        items.append("</instancesSet></item>");
        return ec2("DescribeInstances", "<reservationSet>" + items + "</reservationSet>"
                + (page.next() == null ? "" : "<nextToken>" + page.next() + "</nextToken>"));
    }

    private static String tag(String key, String value) {
        return "<item><key>" + key + "</key><value>" + value + "</value></item>";
    }

    // ---- auto scaling ----

    private String describeGroups(Map<String, String> params) {
        Page page = page(params, "NextToken", "MaxRecords", fleets, 50, 100);
        StringBuilder members = new StringBuilder();
        for (int i = page.from(); i < page.to(); i++) {
            String name = "imm-" + stack + "-" + fleetName(i) + "-v1";
            members.append("<member><AutoScalingGroupName>").append(name).append("</AutoScalingGroupName>")
                    .append("<LaunchTemplate><LaunchTemplateId>").append(templateId(i)).append("</LaunchTemplateId><Version>1</Version></LaunchTemplate>")
                    .append("<MinSize>1</MinSize><MaxSize>4</MaxSize><DesiredCapacity>2</DesiredCapacity>")
                    .append("<VPCZoneIdentifier>subnet-0aa,subnet-0bb</VPCZoneIdentifier><TargetGroupARNs/>")
                    .append("<Instances>");
            for (int n = 0; n < 2; n++) {
                members.append("<member><InstanceId>").append(instanceId(i, n)).append("</InstanceId>")
                        .append("<LifecycleState>InService</LifecycleState><HealthStatus>Healthy</HealthStatus></member>");
            }
            members.append("</Instances><Tags>").append(groupTag(name, "imm:stack", stack))
                    .append(groupTag(name, "imm:fleet", fleetName(i))).append("</Tags></member>");
        }
        return query("DescribeAutoScalingGroups", "http://autoscaling.amazonaws.com/doc/2011-01-01/",
                "<AutoScalingGroups>" + members + "</AutoScalingGroups>" + (page.next() == null ? "" : "<NextToken>" + page.next() + "</NextToken>"));
    }

    private static String groupTag(String group, String key, String value) {
        return "<member><ResourceId>" + group + "</ResourceId><ResourceType>auto-scaling-group</ResourceType><Key>" + key
                + "</Key><Value>" + value + "</Value><PropagateAtLaunch>true</PropagateAtLaunch></member>";
    }
}
