using ReuseQueue.Client;
using ReuseQueue.ExampleWorker;
using ReuseQueue.IntegrationTests.Infrastructure;

namespace ReuseQueue.IntegrationTests.OwnBroker;

/// <summary>
/// A task that outlives the broker's consumer timeout: RabbitMQ closes the replica's channel and
/// requeues every delivery on it. The replica opens a new channel and keeps serving.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class ConsumerTimeoutTests
{
    [Fact]
    public async Task LongTask_PastConsumerTimeout_ReplicaReopensChannelAndServes()
    {
        // consumer_timeout is checked on every channel tick, every 60 s by default.
        await using var broker = await Infrastructure.OwnBroker.StartAsync(
            "-rabbit consumer_timeout 2000 -rabbit channel_tick_interval 500");
        await using var environment = new TestEnvironment("timeout", broker.Connection);
        var replica = await environment.StartReplicaAsync("r1", concurrency: 2);
        var client = await environment.ClientAsync();

        var longTask = client.RunAsync<SleepInput, SleepOutput>(environment.Name, "sleep", new SleepInput(5000),
            new RunOptions { Timeout = TimeSpan.FromSeconds(60) });
        await WaitFor.ConditionAsync(() => replica.Output.Contains("closed the consuming channel"),
            TimeSpan.FromSeconds(30), "the broker to close the replica's channel");
        await WaitFor.ConditionAsync(() => replica.Output.Contains("Consuming again on a new channel"),
            TimeSpan.FromSeconds(30), "the replica to consume on a new channel");
        var square = await client.RunAsync<SquareInput, long>(environment.Name, "square", new SquareInput(11),
            new RunOptions { Timeout = TimeSpan.FromSeconds(30) });
        var longResult = await longTask;

        Assert.Equal(121, square);
        Assert.Equal("r1", longResult.ReplicaId);
        Assert.False(replica.HasExited);
        Assert.Contains("PRECONDITION_FAILED", replica.Output);
    }
}
