package dev.imm.provider.aws;

import dev.imm.provider.ProviderException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns what the SDK throws into a {@link ProviderException} a user can act on: which call failed, its
 * IAM action ({@code ec2:RunInstances}) when permission was refused, whether credentials, the region or
 * the endpoint is the problem, and whether the endpoint implements the call at all. The SDK has already
 * retried throttling and transient errors with its adaptive strategy by then; what is still throttled
 * is marked retryable so that the executor's slower backoff gets a go.
 */
final class AwsErrors {
    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
            "UnauthorizedAccess", "AuthorizationError", "Forbidden");
    private static final Set<String> BAD_CREDENTIALS = Set.of("InvalidClientTokenId", "AuthFailure", "ExpiredToken",
            "ExpiredTokenException", "SignatureDoesNotMatch", "UnrecognizedClientException", "InvalidSignatureException");
    private static final Set<String> THROTTLED = Set.of("Throttling", "ThrottlingException", "RequestLimitExceeded",
            "TooManyRequestsException", "RequestThrottled", "SlowDown", "ServiceUnavailable", "InternalError",
            "InternalFailure", "Unavailable");
    private static final Set<String> NOT_IMPLEMENTED = Set.of("InvalidAction", "UnknownOperationException",
            "NotImplemented", "UnsupportedOperation");

    private AwsErrors() {
    }

    /** Runs one SDK call; {@code action} is its IAM action, {@code ec2:DescribeImages}. */
    static <T> T call(String action, Supplier<T> call) throws ProviderException {
        try {
            return call.get();
        } catch (SdkException e) {
            throw translate(action, e);
        }
    }

    /** A call that returns nothing. */
    static void run(String action, Runnable call) throws ProviderException {
        call(action, () -> {
            call.run();
            return null;
        });
    }

    /** The AWS error code behind a provider exception ({@code InvalidInstanceID.NotFound}), or "". */
    static String code(ProviderException e) {
        return e.getCause() instanceof AwsServiceException s && s.awsErrorDetails() != null && s.awsErrorDetails().errorCode() != null
                ? s.awsErrorDetails().errorCode() : "";
    }

    static ProviderException translate(String action, SdkException e) {
        String operation = action.substring(action.indexOf(':') + 1);
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            String message = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorMessage();
            String said = message == null || message.isBlank() ? "" : ": " + message;
            if (code != null && DENIED.contains(code)) {
                return new ProviderException(operation + " was refused (" + code + "): the IAM permission " + action
                        + " is missing for these credentials; docs/aws.md lists the permissions imm needs" + said, false, e);
            }
            if (code != null && BAD_CREDENTIALS.contains(code)) {
                return new ProviderException(operation + " was refused (" + code + "): the credentials are not valid"
                        + " for this account and region (expired, deleted, or for another endpoint)" + said, false, e);
            }
            if (code != null && THROTTLED.contains(code)) {
                return new ProviderException(operation + " was throttled or the service was unavailable (" + code
                        + "), also after the SDK's retries" + said, true, e);
            }
            if ((code != null && NOT_IMPLEMENTED.contains(code))
                    || ((code == null || code.isBlank()) && service.statusCode() >= 500)
                    || service.statusCode() == 404 && (code == null || code.isBlank())) {
                return new ProviderException("the endpoint does not implement " + action + " (it answered HTTP "
                        + service.statusCode() + (code == null || code.isBlank() ? " with no AWS error" : " " + code)
                        + "); imm needs it for this step (docs/aws.md says which calls each verb makes)", false, e);
            }
            boolean retryable = service.statusCode() >= 500 || service.isThrottlingException();
            return new ProviderException(operation + " failed" + (code == null ? "" : " (" + code + ")") + said, retryable, e);
        }
        if (e instanceof SdkClientException client) {
            return new ProviderException(clientProblem(operation, client), false, e);
        }
        return new ProviderException(operation + " failed: " + e.getMessage(), false, e);
    }

    /** No credentials, no region, an endpoint that cannot be reached: said once, with what to do. */
    static String clientProblem(String operation, SdkClientException e) {
        String text = String.valueOf(e.getMessage());
        if (text.startsWith("Unable to load region")) {
            return "no AWS region is set: give region in the provider \"aws\" block, or set AWS_REGION";
        }
        if (text.contains("Unable to load credentials") || text.contains("credentials")) {
            return "no AWS credentials were found: set AWS_PROFILE (or profile in the provider block), or"
                    + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an instance role is available";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof ConnectException || t instanceof HttpTimeoutException
                    || t instanceof java.net.SocketTimeoutException || t instanceof java.net.NoRouteToHostException) {
                return "cannot reach the AWS endpoint for " + operation + " (" + t.getClass().getSimpleName() + ": "
                        + t.getMessage() + "): check endpoint in the provider block, AWS_ENDPOINT_URL and the network";
            }
        }
        return operation + " failed before AWS answered: " + text;
    }
}
