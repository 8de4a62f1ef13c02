using ReuseQueue.IntegrationTests.Infrastructure;

namespace ReuseQueue.IntegrationTests;

/// <summary>Two autoscalers over one fleet: only the lease holder acts, and the standby takes over when it dies.</summary>
[Collection(ServicesCollection.Name)]
public sealed class LeaderElectionTests
{
    [Fact]
    public async Task KillLeader_StandbyTakesOverAndAdoptsReplicasWithoutDuplicates()
    {
        await using var environment = new TestEnvironment("leader");
        using var workDirectory = new TemporaryDirectory();
        var configPath = workDirectory.Write("autoscaler.yaml",
            TestConfig.ProcessDriver(environment, ["replicas: 2", "concurrency: 1"]));
        var variables = new Dictionary<string, string>(environment.Connection.ToEnvironmentVariables())
        {
            ["REUSEQ_STATE_DIR"] = workDirectory.Path("state"),
        };
        var redis = await environment.RedisAsync();
        var leaseKey = environment.Keys.LeaderLease;

        await using var first = ReplicaProcess.StartDotnet("autoscaler-1", variables, ReplicaProcess.CliAssemblyPath, "up", "--config", configPath);
        await WaitUntilAsync(async () => (await redis.StringGetAsync(leaseKey)).ToString().Contains($"-{first.ProcessId}-"), first);
        await using var second = ReplicaProcess.StartDotnet("autoscaler-2", variables, ReplicaProcess.CliAssemblyPath, "up", "--config", configPath);
        await WaitUntilAsync(async () => await HeartbeatCountAsync(environment) == 2, first);
        await WaitUntilAsync(() => Task.FromResult(second.Output.Contains("stands by")), second);
        var replicasBefore = await ReplicaIdsAsync(environment);

        first.KillHard();
        await WaitUntilAsync(async () => (await redis.StringGetAsync(leaseKey)).ToString().Contains($"-{second.ProcessId}-"), second);
        await WaitUntilAsync(() => Task.FromResult(second.Output.Contains("is the leader")), second);
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal(2, replicasBefore.Count);
        Assert.Equal(replicasBefore, await ReplicaIdsAsync(environment));
        Assert.DoesNotContain("started replica", second.Output);
        Assert.Equal(2, await HeartbeatCountAsync(environment));
        second.Terminate();
        Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        await KillReplicasAsync(workDirectory.Path("state"));
    }

    private static async Task<int> HeartbeatCountAsync(TestEnvironment environment)
    {
        var redis = await environment.RedisAsync();
        var count = 0;
        foreach (var id in await redis.SetMembersAsync(environment.Keys.Replicas(environment.Name)))
        {
            if (await redis.KeyExistsAsync(environment.Keys.Heartbeat(environment.Name, id!)))
            {
                count++;
            }
        }

        return count;
    }

    private static async Task<List<string>> ReplicaIdsAsync(TestEnvironment environment)
    {
        var redis = await environment.RedisAsync();
        return (await redis.SetMembersAsync(environment.Keys.Replicas(environment.Name)))
            .Select(id => id.ToString()).Order(StringComparer.Ordinal).ToList();
    }

    // The replicas outlive both autoscalers by design; the test ends them through their records.
    private static async Task KillReplicasAsync(string stateDirectory)
    {
        foreach (var record in Directory.EnumerateFiles(stateDirectory, "*.json", SearchOption.AllDirectories))
        {
            var text = await File.ReadAllTextAsync(record);
            var pid = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("pid").GetInt32();
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, ReplicaProcess watched)
    {
        var giveUpAt = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > giveUpAt || watched.HasExited)
            {
                throw new TimeoutException($"The condition did not hold; {watched.ReplicaId} printed:\n{watched.Output}");
            }

            await Task.Delay(100);
        }
    }
}
