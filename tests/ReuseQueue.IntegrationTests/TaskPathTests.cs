using System.Diagnostics;
using ReuseQueue.Client;
using ReuseQueue.Contracts;
using ReuseQueue.ExampleWorker;
using ReuseQueue.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ReuseQueue.IntegrationTests;

/// <summary>Tasks published through the client SDK run on real replica processes and return their results.</summary>
[Collection(ServicesCollection.Name)]
public sealed class TaskPathTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Run_NineSleepsOnConcurrencyThree_NeverMoreThanThreeAtOnce()
    {
        await using var environment = new TestEnvironment("concurrency");
        await environment.StartReplicaAsync("r1", concurrency: 3);
        var client = await environment.ClientAsync();

        var stopwatch = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, 9).Select(_ =>
            client.RunAsync<SleepInput, SleepOutput>(environment.Name, "sleep", new SleepInput(1000))));
        stopwatch.Stop();
        output.WriteLine($"9 tasks of 1 s at concurrency 3 took {stopwatch.Elapsed.TotalSeconds:0.00} s");

        Assert.Equal(9, results.Length);
        Assert.All(results, result => Assert.Equal("r1", result.ReplicaId));
        Assert.Equal(3, results.Max(result => result.MaxRunning));
        Assert.Equal(3, results.Max(result => result.Running));
    }

    [Fact]
    public async Task Run_CountTaskRepeatedly_StateSurvivesBetweenTasks()
    {
        await using var environment = new TestEnvironment("state");
        await environment.StartReplicaAsync("r1", concurrency: 1);
        var client = await environment.ClientAsync();

        var counts = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var result = await client.RunAsync<object?, CountOutput>(environment.Name, "count", null);
            counts.Add(result.Count);
        }

        Assert.Equal([1, 2, 3, 4, 5], counts);
    }

    [Fact]
    public async Task Run_PredictTwice_ModelLoadsOncePerReplica()
    {
        await using var environment = new TestEnvironment("model");
        await environment.StartReplicaAsync("r1", concurrency: 1);
        var client = await environment.ClientAsync();

        var first = await client.RunAsync<PredictInput, PredictOutput>(environment.Name, "predict", new PredictInput("a"));
        var second = await client.RunAsync<PredictInput, PredictOutput>(environment.Name, "predict", new PredictInput("b"));

        Assert.Equal(1, first.LoadCount);
        Assert.Equal(1, second.LoadCount);
        Assert.Equal(first.ModelLoadedAt, second.ModelLoadedAt);
    }

    [Fact]
    public async Task Run_FanOutDriver_GathersTenChildResults()
    {
        await using var environment = new TestEnvironment("fanout");
        await environment.StartReplicaAsync("r1", concurrency: 4);
        await environment.StartReplicaAsync("r2", concurrency: 4);
        var client = await environment.ClientAsync();

        var result = await client.RunAsync<FanOutInput, FanOutOutput>(environment.Name, "fanout", new FanOutInput(10));

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i * i).ToArray(), result.Results);
    }

    [Fact]
    public async Task Run_TrickleOnThreeReplicas_AllLandOnOldestReplica()
    {
        await using var environment = new TestEnvironment("concentrate");
        await environment.StartReplicaAsync("oldest", concurrency: 1);
        await Task.Delay(300);
        await environment.StartReplicaAsync("middle", concurrency: 1);
        await Task.Delay(300);
        await environment.StartReplicaAsync("newest", concurrency: 1);
        var client = await environment.ClientAsync();

        var replicas = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var result = await client.RunAsync<object?, CountOutput>(environment.Name, "count", null);
            replicas.Add(result.ReplicaId);

            // A replica acknowledges a task just after it sends the result, so that no result is lost.
            // A caller that publishes the instant the result arrives can beat that acknowledgement to
            // the broker, which then finds the oldest replica's prefetch full. A trickle leaves a moment
            // between tasks. 20 ms is an estimate, far longer than an acknowledgement took on loopback here.
            await Task.Delay(20);
        }

        Assert.Equal(Enumerable.Repeat("oldest", 20), replicas);
    }

    [Fact]
    public async Task Submit_WithoutReplyAddress_ResultIsStoredInRedis()
    {
        await using var environment = new TestEnvironment("submit");
        await environment.StartReplicaAsync("r1", concurrency: 1);
        var client = await environment.ClientAsync();

        var executionId = await client.SubmitAsync(environment.Name, "square", new SquareInput(12));
        var result = await client.WaitForResultAsync(executionId, TimeSpan.FromSeconds(30));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(executionId, result.ExecutionId);
        Assert.Equal(144, result.Output!.Value.GetInt64());
        var ttl = await (await environment.RedisAsync()).KeyTimeToLiveAsync(environment.Keys.Result(executionId));
        Assert.NotNull(ttl);
    }

    [Fact]
    public async Task Fetch_UnknownExecution_ReturnsNull()
    {
        await using var environment = new TestEnvironment("fetch");
        var client = await environment.ClientAsync();

        var result = await client.FetchResultAsync("no-such-execution");

        Assert.Null(result);
    }

    [Fact]
    public async Task Terminate_DuringThreeSecondTask_TaskCompletesAndReplicaExitsCleanly()
    {
        await using var environment = new TestEnvironment("drain");
        var replica = await environment.StartReplicaAsync("r1", concurrency: 2);
        var client = await environment.ClientAsync();
        var redis = await environment.RedisAsync();

        var call = client.RunAsync<SleepInput, SleepOutput>(environment.Name, "sleep", new SleepInput(3000));
        await WaitUntilAsync(async () =>
        {
            var heartbeat = await redis.StringGetAsync(environment.Keys.Heartbeat(environment.Name, "r1"));
            return heartbeat.HasValue && heartbeat.ToString().Contains("\"inFlight\":1");
        });
        replica.Terminate();

        var result = await call;
        var exitCode = await replica.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("r1", result.ReplicaId);
        Assert.True(exitCode == 0, $"exit code {exitCode}; output:\n{replica.Output}");
        Assert.False(await redis.KeyExistsAsync(environment.Keys.Heartbeat(environment.Name, "r1")));
        Assert.False(await redis.SetContainsAsync(environment.Keys.Replicas(environment.Name), "r1"));
    }

    [Fact]
    public async Task Run_NoReplica_TimesOutWithAdvice()
    {
        await using var environment = new TestEnvironment("timeout");
        var client = await environment.ClientAsync();

        var exception = await Assert.ThrowsAsync<TimeoutException>(() =>
            client.RunAsync<SquareInput, long>(environment.Name, "square", new SquareInput(2),
                new RunOptions { Timeout = TimeSpan.FromMilliseconds(300) }));

        Assert.Contains($"environment '{environment.Name}'", exception.Message);
        Assert.Contains("reuseq status", exception.Message);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var giveUpAt = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > giveUpAt)
            {
                throw new TimeoutException("The condition did not hold within 20 s.");
            }

            await Task.Delay(20);
        }
    }
}
