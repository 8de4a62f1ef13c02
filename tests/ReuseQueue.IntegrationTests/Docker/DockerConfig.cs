using ReuseQueue.IntegrationTests.Infrastructure;

namespace ReuseQueue.IntegrationTests.Docker;

internal static class DockerConfig
{
    /// <summary>An autoscaler config with the Docker driver and one environment running the example worker image.</summary>
    public static string Render(TestEnvironment environment, string replicas, string extra = "") => $"""
        redis:
          key_prefix: "{environment.Connection.KeyPrefix}"
        autoscaler:
          driver: docker
          tick_interval: 250ms
          heartbeat_timeout: 5s
          grace_period: 10s
          allowed_images: ["reuseq/*"]
        environments:
          - name: {environment.Name}
            image: {DockerFleet.WorkerImage}
            resources: {"{"} memory: 256Mi, cpu: 500m {"}"}
            replicas: {replicas}
            concurrency: 2
            scaledown_ttl: 3s
        {extra}
        """;
}
