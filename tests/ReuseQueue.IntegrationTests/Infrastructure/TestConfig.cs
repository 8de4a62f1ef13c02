namespace ReuseQueue.IntegrationTests.Infrastructure;

/// <summary>
/// Autoscaler config files for tests: the environment's own Redis and key prefix, a 250 ms tick, a 5 s
/// heartbeat timeout and a 10 s grace period, and the example worker as the environment's replica.
/// </summary>
public static class TestConfig
{
    /// <summary>A config with process replicas running the example worker.</summary>
    /// <param name="policy">The environment's policy lines in YAML, e.g. <c>replicas: 1</c> and <c>concurrency: 1</c>.</param>
    /// <param name="broker">A broker of the test's own, or null for the shared one.</param>
    public static string ProcessDriver(TestEnvironment environment, IEnumerable<string> policy, OwnBroker? broker = null) =>
        Render(environment, "process", [$"command: [\"dotnet\", \"{ReplicaProcess.WorkerAssemblyPath}\"]", .. policy], broker);

    /// <summary>A config with Docker replicas running the example worker image.</summary>
    public static string DockerDriver(TestEnvironment environment, IEnumerable<string> policy) =>
        Render(environment, "docker", ["image: reuseq/example-worker:latest", "resources: { memory: 256Mi, cpu: 500m }", .. policy], broker: null);

    private static string Render(TestEnvironment environment, string driver, IEnumerable<string> environmentLines, OwnBroker? broker)
    {
        var brokerSection = broker is null
            ? string.Empty
            : $"broker:\n  amqp_uri: {broker.AmqpUri}\n  management_url: {broker.ManagementUrl}\n";
        var lines = string.Concat(environmentLines.Select(line => $"\n    {line}"));
        return brokerSection + $"""
            redis:
              configuration: "{environment.Connection.Redis}"
              key_prefix: "{environment.Connection.KeyPrefix}"
            autoscaler:
              driver: {driver}
              tick_interval: 250ms
              heartbeat_timeout: 5s
              grace_period: 10s
              allowed_images: ["reuseq/*"]
            environments:
              - name: {environment.Name}{lines}
            """;
    }
}
