using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ReuseQueue.Autoscaler.Control;
using ReuseQueue.Autoscaler.Drivers;
using ReuseQueue.Autoscaler.Drivers.Docker;
using ReuseQueue.Core.Policy;
using ReuseQueue.Core.Scaling;
using ReuseQueue.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ReuseQueue.IntegrationTests.Docker;

/// <summary>
/// Replicas as containers on the real Docker engine, built by infra/build-images.sh: the autoscaler's
/// scenario with containers, resource limits, a killed container, adoption and the image allow list.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class DockerReplicaTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Burst_WithDockerDriver_ContainersFollowThePool()
    {
        await using var environment = new TestEnvironment("dock-burst");
        using var fleet = new DockerFleet(environment.Connection.KeyPrefix);
        using var workDirectory = new TemporaryDirectory();
        var configPath = workDirectory.Write("autoscaler.yaml",
            TestConfig.DockerDriver(environment, ["replicas: [1, 4]", "concurrency: 2", "scaledown_ttl: 3s", "idle_ttl: 8s"]));
        await using var running = await RunningAutoscaler.StartAsync(configPath, output);
        var containerCounts = new ConcurrentQueue<int>();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                containerCounts.Enqueue((await fleet.ContainersAsync()).Count);
                await Task.Delay(200);
            }
        });
        await using var counter = await ReplyCounter.ConnectAsync(environment.Connection);

        try
        {
            var ids = new List<string>();
            for (var i = 0; i < 40; i++)
            {
                ids.Add(await counter.PublishAsync(environment.Name, "sleep", "{\"milliseconds\":500}"));
            }

            await counter.WaitForAsync(40, TimeSpan.FromSeconds(120));
            await WaitUntilAsync(async () => (await fleet.ContainersAsync(includeExited: true)).Count == 0, TimeSpan.FromSeconds(60));
            await sampling.CancelAsync();
            await sampler;

            Assert.Equal(4, containerCounts.Max());
            Assert.All(ids, id => Assert.Equal(1, counter.Replies.GetValueOrDefault(id)));
            Assert.All(ids, id => Assert.True(counter.Results[id].Succeeded, counter.Results[id].Error?.Message));
            var stepDowns = running.Decisions.Where(decision => decision.Action == ScalingAction.ScaleDown).ToList();
            var sizes = stepDowns.Select(decision => decision.LiveReplicas).ToList();
            Assert.InRange(sizes.Count, 2, 3);
            Assert.Equal(Enumerable.Range(0, sizes.Count).Select(step => 4 - step), sizes);
            Assert.Contains(running.Decisions, decision => decision.Action == ScalingAction.ScaleToZero);
        }
        finally
        {
            await sampling.CancelAsync();
            await running.StopAsync();
            await fleet.RemoveAllAsync();
        }
    }

    [Fact]
    public async Task StartAsync_Resources_ContainerHasMemoryAndCpuLimits()
    {
        await using var environment = new TestEnvironment("dock-limits");
        using var fleet = new DockerFleet(environment.Connection.KeyPrefix);
        using var driver = CreateDriver(environment);
        var taskEnvironment = new TaskEnvironment
        {
            Name = environment.Name,
            Image = DockerFleet.WorkerImage,
            Resources = ResourceRequirements.Parse("256Mi", "500m"),
        };

        try
        {
            var replica = await driver.StartAsync(Launch(taskEnvironment, environment, "limits-1"), CancellationToken.None);
            var inspected = await fleet.Client.Containers.InspectContainerAsync(replica.RuntimeId);

            Assert.Equal(256L * 1024 * 1024, inspected.HostConfig.Memory);
            Assert.Equal(500_000_000L, inspected.HostConfig.NanoCPUs);
            Assert.Equal("host", inspected.HostConfig.NetworkMode);
            Assert.Equal("10001:10001", inspected.Config.User);
            Assert.Equal(environment.Name, inspected.Config.Labels[DockerLabels.Environment]);
            Assert.Equal("limits-1", inspected.Config.Labels[DockerLabels.Replica]);
        }
        finally
        {
            await fleet.RemoveAllAsync();
        }
    }

    [Fact]
    public async Task StartAsync_ImageOutsideAllowList_RejectedWithImageNamed()
    {
        await using var environment = new TestEnvironment("dock-allow");
        using var fleet = new DockerFleet(environment.Connection.KeyPrefix);
        using var driver = CreateDriver(environment);
        var taskEnvironment = new TaskEnvironment { Name = environment.Name, Image = "evil/miner:1" };

        var exception = await Assert.ThrowsAsync<ReplicaStartException>(() =>
            driver.StartAsync(Launch(taskEnvironment, environment, "evil-1"), CancellationToken.None));

        Assert.Equal(
            $"Image 'evil/miner:1' of environment '{environment.Name}' is not allowed: it matches none of " +
            "allowed_images [reuseq/*]. Add a matching pattern or use an allowed image.",
            exception.Message);
        Assert.Empty(await fleet.ContainersAsync(includeExited: true));
    }

    [Fact]
    public async Task DockerKill_BusyReplica_TaskRedeliveredAndReplicaReplaced()
    {
        await using var environment = new TestEnvironment("dock-kill");
        using var fleet = new DockerFleet(environment.Connection.KeyPrefix);
        using var workDirectory = new TemporaryDirectory();
        var configPath = workDirectory.Write("autoscaler.yaml", TestConfig.DockerDriver(environment, ["replicas: 1", "concurrency: 2"]));
        await using var running = await RunningAutoscaler.StartAsync(configPath, output);
        await using var counter = await ReplyCounter.ConnectAsync(environment.Connection);
        var redis = await environment.RedisAsync();

        try
        {
            await WaitUntilAsync(async () => (await fleet.ContainersAsync()).Count == 1, TimeSpan.FromSeconds(60));
            var victim = (await fleet.ContainersAsync()).Single();
            var victimReplica = victim.Labels[DockerLabels.Replica];
            await WaitUntilAsync(() => redis.KeyExistsAsync(environment.Keys.Heartbeat(environment.Name, victimReplica)), TimeSpan.FromSeconds(60));

            var id = await counter.PublishAsync(environment.Name, "sleep", "{\"milliseconds\":3000}");
            await WaitUntilAsync(async () =>
                (await redis.StringGetAsync(environment.Keys.Heartbeat(environment.Name, victimReplica))).ToString().Contains("\"inFlight\":1"),
                TimeSpan.FromSeconds(30));
            await fleet.Client.Containers.KillContainerAsync(victim.ID, new global::Docker.DotNet.Models.ContainerKillParameters { Signal = "SIGKILL" });

            await counter.WaitForAsync(1, TimeSpan.FromSeconds(90));
            await Task.Delay(TimeSpan.FromSeconds(1));

            Assert.Equal(1, counter.Replies[id]);
            Assert.True(counter.Results[id].Succeeded);
            Assert.NotEqual(victimReplica, counter.Results[id].ReplicaId);
            var now = await fleet.ContainersAsync(includeExited: true);
            var replacement = Assert.Single(now);
            Assert.NotEqual(victim.ID, replacement.ID);
        }
        finally
        {
            await running.StopAsync();
            await fleet.RemoveAllAsync();
        }
    }

    [Fact]
    public async Task RestartAutoscaler_RunningContainers_AdoptedWithoutDuplicates()
    {
        await using var environment = new TestEnvironment("dock-adopt");
        using var fleet = new DockerFleet(environment.Connection.KeyPrefix);
        using var workDirectory = new TemporaryDirectory();
        var configPath = workDirectory.Write("autoscaler.yaml", TestConfig.DockerDriver(environment, ["replicas: 2", "concurrency: 2"]));

        try
        {
            var first = await RunningAutoscaler.StartAsync(configPath, output);
            await WaitUntilAsync(async () => (await fleet.ContainersAsync()).Count == 2, TimeSpan.FromSeconds(60));
            await first.StopAsync();
            await first.DisposeAsync();
            var before = (await fleet.ContainersAsync(includeExited: true)).Select(container => container.ID).Order().ToList();

            await using var second = await RunningAutoscaler.StartAsync(configPath, output);
            await WaitUntilAsync(() => Task.FromResult(second.Decisions.Count >= 12), TimeSpan.FromSeconds(30));
            var after = (await fleet.ContainersAsync(includeExited: true)).Select(container => container.ID).Order().ToList();

            Assert.Equal(2, before.Count);
            Assert.Equal(before, after);
            Assert.DoesNotContain(second.Decisions, decision => decision.StartCount > 0 || decision.Stops.Count > 0);
            await second.StopAsync();
        }
        finally
        {
            await fleet.RemoveAllAsync();
        }
    }

    private static DockerReplicaDriver CreateDriver(TestEnvironment environment) => new(
        DockerEngine.CreateClient(), environment.Connection.KeyPrefix, ["reuseq/*"],
        NullLogger<DockerReplicaDriver>.Instance, TimeProvider.System);

    private static ReplicaLaunch Launch(TaskEnvironment taskEnvironment, TestEnvironment environment, string replicaId) =>
        new(taskEnvironment, replicaId, ReplicaVariables.For(
            taskEnvironment, replicaId, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(10), environment.Connection));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var giveUpAt = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > giveUpAt)
            {
                throw new TimeoutException($"The condition did not hold within {timeout}.");
            }

            await Task.Delay(200);
        }
    }
}
