using ReuseQueue.ExampleWorker;
using ReuseQueue.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ReuseQueue.IntegrationTests.OwnBroker;

/// <summary>
/// The broker restarts under load: the client, the replicas and the autoscaler reconnect by themselves,
/// durable queues keep what was queued, and every submitted task gets its result.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class BrokerRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RestartBroker_WithQueuedTasks_EveryTaskCompletes()
    {
        await using var broker = await Infrastructure.OwnBroker.StartAsync();
        await using var environment = new TestEnvironment("restart", broker.Connection);
        using var workDirectory = new TemporaryDirectory();
        var configPath = workDirectory.Write("autoscaler.yaml",
            TestConfig.ProcessDriver(environment, ["replicas: 1", "concurrency: 2"], broker));
        await using var autoscaler = await RunningAutoscaler.StartAsync(configPath, output, workDirectory.Path("replicas"));
        var client = await environment.ClientAsync();

        var before = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            before.Add(await client.SubmitAsync(environment.Name, "sleep", new SleepInput(200)));
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        await broker.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await broker.StartAgainAsync();

        var after = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            after.Add(await SubmitWithRetryAsync(() => client.SubmitAsync(environment.Name, "sleep", new SleepInput(50))));
        }

        var results = new List<Contracts.TaskResult>();
        foreach (var id in before.Concat(after))
        {
            results.Add(await client.WaitForResultAsync(id, TimeSpan.FromSeconds(120)));
        }

        Assert.Equal(40, results.Count);
        Assert.All(results, result => Assert.True(result.Succeeded, result.Error?.Message));
        Assert.Equal(40, results.Select(result => result.ExecutionId).Distinct().Count());
        await WaitFor.ConditionAsync(() => autoscaler.Decisions.Count > 0 && autoscaler.Decisions[^1].Action != Core.Scaling.ScalingAction.Hold,
            TimeSpan.FromSeconds(30), "the autoscaler to decide again after the restart");
        await autoscaler.StopWithReplicasAsync();
    }

    // While the client's connection recovers, a publish fails at once; a caller retries it.
    private static async Task<string> SubmitWithRetryAsync(Func<Task<string>> submit)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await submit();
            }
            catch (Exception exception) when (attempt < 60 && exception is RabbitMQ.Client.Exceptions.AlreadyClosedException
                                                  or RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                await Task.Delay(500);
            }
        }
    }
}
