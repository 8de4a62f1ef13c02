using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using ReuseQueue.Core.Configuration;

namespace ReuseQueue.Autoscaler.Drivers.Docker;

/// <summary>
/// Runs replicas as Docker containers on host networking, with the environment's memory and CPU
/// limits, labelled with owner, environment and replica so that a restarted autoscaler adopts them.
/// Only images that match the config's allowed image patterns are started.
/// </summary>
public sealed class DockerReplicaDriver(
    IDockerClient docker,
    string owner,
    IReadOnlyList<string> allowedImages,
    ILogger<DockerReplicaDriver> logger,
    TimeProvider timeProvider) : IReplicaDriver, IDisposable
{
    private bool _listedBefore;

    public string Kind => "docker";

    public async Task<ManagedReplica> StartAsync(ReplicaLaunch launch, CancellationToken cancellationToken)
    {
        var environment = launch.Environment;
        var image = environment.Image ?? throw new ReplicaStartException(
            $"Environment '{environment.Name}' has no image: set `image` in the config, or use the process driver with a command.");
        if (allowedImages.Count > 0 && !ImageAllowList.IsAllowed(image, allowedImages))
        {
            throw new ReplicaStartException(
                $"Image '{image}' of environment '{environment.Name}' is not allowed: it matches none of " +
                $"allowed_images [{string.Join(", ", allowedImages)}]. Add a matching pattern or use an allowed image.");
        }

        var startedAt = timeProvider.GetUtcNow();
        var variables = new Dictionary<string, string>(environment.EnvironmentVariables, StringComparer.Ordinal);
        foreach (var (name, value) in launch.Variables)
        {
            variables[name] = value;
        }

        var parameters = new CreateContainerParameters
        {
            Name = ContainerName(launch.ReplicaId),
            Image = image,
            Env = variables.Select(pair => $"{pair.Key}={pair.Value}").ToList(),
            Labels = new Dictionary<string, string>
            {
                [DockerLabels.Owner] = owner,
                [DockerLabels.Environment] = environment.Name,
                [DockerLabels.Replica] = launch.ReplicaId,
                [DockerLabels.StartedAt] = startedAt.ToString("O", CultureInfo.InvariantCulture),
            },
            HostConfig = new HostConfig
            {
                NetworkMode = "host",
                Memory = environment.Resources.Memory ?? 0,
                NanoCPUs = (environment.Resources.Cpu ?? 0) * 1_000_000,
            },
        };

        string containerId;
        try
        {
            containerId = (await docker.Containers.CreateContainerAsync(parameters, cancellationToken).ConfigureAwait(false)).ID;
            await docker.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), cancellationToken).ConfigureAwait(false);
        }
        catch (DockerImageNotFoundException)
        {
            throw new ReplicaStartException(
                $"Image '{image}' of environment '{environment.Name}' is not on the Docker engine at {DockerEngine.Endpoint}. " +
                "Build it (infra/build-images.sh builds the example worker) or pull it first.");
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException or IOException)
        {
            throw new ReplicaStartException(DockerEngine.Unreachable(exception), exception);
        }
        catch (DockerApiException exception)
        {
            throw new ReplicaStartException(
                $"The Docker engine refused to start replica {launch.ReplicaId} of environment '{environment.Name}': " +
                $"{exception.StatusCode}: {exception.ResponseBody.Trim()}", exception);
        }

        DockerDriverLog.Started(logger, Short(containerId), image, launch.ReplicaId, environment.Name, environment.Resources.ToString());
        return new ManagedReplica
        {
            Environment = environment.Name,
            ReplicaId = launch.ReplicaId,
            StartedAt = startedAt,
            IsRunning = true,
            RuntimeId = Short(containerId),
            Image = image,
        };
    }

    public async Task<IReadOnlyList<ManagedReplica>> ListAsync(CancellationToken cancellationToken)
    {
        IList<ContainerListResponse> containers;
        try
        {
            containers = await docker.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [$"{DockerLabels.Owner}={owner}"] = true },
                },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException or IOException)
        {
            throw new InvalidOperationException(DockerEngine.Unreachable(exception), exception);
        }

        var replicas = new List<ManagedReplica>(containers.Count);
        foreach (var container in containers)
        {
            replicas.Add(await DescribeAsync(container, cancellationToken).ConfigureAwait(false));
        }

        if (!_listedBefore)
        {
            _listedBefore = true;
            var running = replicas.Count(replica => replica.IsRunning);
            if (running > 0)
            {
                DockerDriverLog.Adopted(logger, running);
            }
        }

        return replicas;
    }

    public async Task<int?> StopAsync(ManagedReplica replica, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var containerId = replica.RuntimeId;
        try
        {
            await docker.Containers.StopContainerAsync(containerId, new ContainerStopParameters
            {
                WaitBeforeKillSeconds = (uint)Math.Ceiling(gracePeriod.TotalSeconds),
            }, cancellationToken).ConfigureAwait(false);
            var state = (await docker.Containers.InspectContainerAsync(containerId, cancellationToken).ConfigureAwait(false)).State;
            await docker.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true }, cancellationToken)
                .ConfigureAwait(false);
            DockerDriverLog.Stopped(logger, containerId, replica.ReplicaId, state.ExitCode);
            return (int)state.ExitCode;
        }
        catch (DockerContainerNotFoundException)
        {
            return replica.ExitCode;
        }
    }

    public async Task RemoveAsync(ManagedReplica replica, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Containers.RemoveContainerAsync(replica.RuntimeId, new ContainerRemoveParameters { Force = true }, cancellationToken)
                .ConfigureAwait(false);
            DockerDriverLog.RemovedExited(logger, replica.RuntimeId, replica.ReplicaId, replica.ExitCode,
                replica.ExitDetail is null ? string.Empty : $" ({replica.ExitDetail})");
        }
        catch (DockerContainerNotFoundException)
        {
            // Already gone.
        }
    }

    public void Dispose() => docker.Dispose();

    /// <summary>The container name of a replica: <c>reuseq-&lt;replica id&gt;</c>.</summary>
    public static string ContainerName(string replicaId) => "reuseq-" + replicaId;

    private async Task<ManagedReplica> DescribeAsync(ContainerListResponse container, CancellationToken cancellationToken)
    {
        var labels = container.Labels;
        var startedAt = labels.TryGetValue(DockerLabels.StartedAt, out var text)
                        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : new DateTimeOffset(DateTime.SpecifyKind(container.Created, DateTimeKind.Utc));
        var isRunning = container.State is "running" or "created" or "restarting";
        int? exitCode = null;
        string? detail = null;
        if (!isRunning)
        {
            var state = (await docker.Containers.InspectContainerAsync(container.ID, cancellationToken).ConfigureAwait(false)).State;
            exitCode = (int)state.ExitCode;
            detail = $"exited with code {exitCode}" + (state.OOMKilled
                ? ", killed for exceeding its memory limit"
                : state.Error is { Length: > 0 } error ? $" ({error})" : string.Empty);
        }

        return new ManagedReplica
        {
            Environment = labels.TryGetValue(DockerLabels.Environment, out var environment) ? environment : "(unlabelled)",
            ReplicaId = labels.TryGetValue(DockerLabels.Replica, out var replicaId) ? replicaId : Short(container.ID),
            StartedAt = startedAt,
            IsRunning = isRunning,
            ExitCode = exitCode,
            ExitDetail = detail,
            RuntimeId = Short(container.ID),
            Image = container.Image,
        };
    }

    private static string Short(string containerId) => containerId.Length > 12 ? containerId[..12] : containerId;
}
