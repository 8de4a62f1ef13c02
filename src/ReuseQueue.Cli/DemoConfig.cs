namespace ReuseQueue.Cli;

internal static class DemoConfig
{
    /// <summary>The demo's config: one environment with short TTLs so a whole cycle fits in about a minute.</summary>
    public static string Render(string environment, string workerDll, string keyPrefix, bool useDocker) => $"""
        # Written by `reuseq demo`; short TTLs so that the whole cycle fits in about a minute.
        redis:
          key_prefix: "{keyPrefix}"
        autoscaler:
          driver: {(useDocker ? "docker" : "process")}
          allowed_images: ["reuseq/*"]
          tick_interval: 500ms
          heartbeat_timeout: 5s
          grace_period: 10s
        environments:
          - name: {environment}
            {(useDocker ? "image: reuseq/example-worker:latest" : $"command: [\"dotnet\", \"{workerDll}\"]")}
            replicas: [1, 4]
            concurrency: 2
            scaledown_ttl: 4s
            idle_ttl: 10s
        """;
}
