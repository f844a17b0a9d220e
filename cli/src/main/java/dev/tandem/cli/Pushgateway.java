package dev.tandem.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Pushes a run's metrics to a Prometheus Pushgateway once, at the end: a PUT of the text format, which replaces
 * what the same grouping key held before. A URL without a path is grouped under {@code /metrics/job/tandem}; a
 * {@code user:password@} part becomes basic authentication.
 */
final class Pushgateway {
    static final String DEFAULT_GROUP = "/metrics/job/tandem";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI uri;
    private final String authorization;

    private Pushgateway(URI uri, String authorization) {
        this.uri = uri;
        this.authorization = authorization;
    }

    /** @throws IllegalArgumentException naming what is wrong with {@code url} */
    static Pushgateway of(String url) {
        URI given;
        try {
            given = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage());
        }
        if (!"http".equals(given.getScheme()) && !"https".equals(given.getScheme()) || given.getHost() == null) {
            throw new IllegalArgumentException("expected http://HOST:PORT or a full Pushgateway URL such as "
                    + "http://HOST:9091" + DEFAULT_GROUP);
        }
        String path = given.getRawPath() == null || given.getRawPath().isEmpty() || given.getRawPath().equals("/")
                ? DEFAULT_GROUP : given.getRawPath();
        String userInfo = given.getRawUserInfo();
        String authorization = userInfo == null ? null : "Basic "
                + Base64.getEncoder().encodeToString(given.getUserInfo().getBytes(StandardCharsets.UTF_8));
        return new Pushgateway(URI.create(given.getScheme() + "://" + given.getRawAuthority()
                .substring(userInfo == null ? 0 : userInfo.length() + 1) + path), authorization);
    }

    /**
     * Pushes {@code metrics} (text format).
     *
     * @throws IOException when the gateway cannot be reached or does not answer 2xx
     */
    void push(String metrics) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Content-Type", RunMetrics.CONTENT_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofString(metrics, StandardCharsets.UTF_8));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + response.statusCode() + ": " + response.body().strip());
        }
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
