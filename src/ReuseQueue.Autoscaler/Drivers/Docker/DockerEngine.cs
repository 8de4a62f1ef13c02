using Docker.DotNet;

namespace ReuseQueue.Autoscaler.Drivers.Docker;

/// <summary>Connects to the Docker engine named by <c>DOCKER_HOST</c>, or the local socket.</summary>
public static class DockerEngine
{
    /// <summary>The engine address when <c>DOCKER_HOST</c> is not set.</summary>
    public const string DefaultEndpoint = "unix:///var/run/docker.sock";

    public static Uri Endpoint =>
        new(Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } configured ? configured : DefaultEndpoint);

    public static DockerClient CreateClient() => new DockerClientConfiguration(Endpoint).CreateClient();

    /// <summary>Builds the message for an engine that could not be reached.</summary>
    public static string Unreachable(Exception exception) =>
        $"The Docker engine at {Endpoint} did not answer ({exception.Message}). Start one with " +
        "`infra/services.sh up docker`, or point DOCKER_HOST at a running engine.";
}
