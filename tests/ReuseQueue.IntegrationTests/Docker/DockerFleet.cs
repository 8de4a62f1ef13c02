using Docker.DotNet;
using Docker.DotNet.Models;
using ReuseQueue.Autoscaler.Drivers.Docker;

namespace ReuseQueue.IntegrationTests.Docker;

/// <summary>Reads the containers of one owner straight from the Docker engine, as a user would check them.</summary>
public sealed class DockerFleet(string owner) : IDisposable
{
    /// <summary>The worker image that infra/build-images.sh builds.</summary>
    public const string WorkerImage = "reuseq/example-worker:latest";

    public DockerClient Client { get; } = DockerEngine.CreateClient();

    public async Task<IList<ContainerListResponse>> ContainersAsync(bool includeExited = false) =>
        await Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = includeExited,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{DockerLabels.Owner}={owner}"] = true },
            },
        });

    /// <summary>Removes every container of the owner, running or not.</summary>
    public async Task RemoveAllAsync()
    {
        foreach (var container in await ContainersAsync(includeExited: true))
        {
            await Client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    public void Dispose() => Client.Dispose();
}
