using System.Text.Json;
using System.Text.RegularExpressions;
using ReuseQueue.ExampleWorker;
using ReuseQueue.IntegrationTests.Infrastructure;

namespace ReuseQueue.IntegrationTests.Faults;

/// <summary>
/// Broker and Redis passwords: a wrong one makes replicas and the CLI fail with a clear message that never
/// shows it, a right one (also from a secret file) works, and a replica without Redis AUTH writes no heartbeat.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed partial class SecretsTests
{
    private const string BrokerRejected = "the broker rejected the user name or password";
    private const string HeartbeatFailed = "Heartbeat could not be written to Redis";
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WrongAmqpPassword_FailsWithoutShowingIt()
    {
        await using var environment = new TestEnvironment("amqp-pw");
        var password = DistinctivePassword();

        await using var replica = ReplicaProcess.Start("r-wrong", ReplicaVariables(environment, "r-wrong", ("REUSEQ_AMQP_PASSWORD", password)));
        await using var submit = StartCli(
            CliVariables(environment, ("REUSEQ_AMQP_PASSWORD", password)), "submit", "--env", environment.Name, "--task", "square",
            "--input", "{\"value\":3}", "--timeout", "10s");
        await using var submitWithUri = StartCli(
            CliVariables(environment, ("REUSEQ_AMQP_URI", $"amqp://guest:{password}@127.0.0.1:5672/")), "submit", "--env",
            environment.Name, "--task", "square", "--input", "{\"value\":3}", "--timeout", "10s");

        Assert.Equal(1, await replica.WaitForExitAsync(ProcessTimeout));
        Assert.Contains(BrokerRejected, replica.Output);
        Assert.DoesNotContain(password, replica.Output);
        Assert.Equal(2, await submit.WaitForExitAsync(ProcessTimeout));
        Assert.Contains(BrokerRejected, submit.Output);
        Assert.DoesNotContain(password, submit.Output);
        Assert.Equal(2, await submitWithUri.WaitForExitAsync(ProcessTimeout));
        Assert.Contains(BrokerRejected, submitWithUri.Output);
        Assert.Contains("amqp://guest:***@127.0.0.1:5672/", submitWithUri.Output);
        Assert.DoesNotContain(password, submitWithUri.Output);
    }

    [Fact]
    public async Task RedisAuth_HeartbeatNeedsPassword()
    {
        var password = DistinctivePassword();
        var wrongPassword = DistinctivePassword();
        await using var redisServer = await RedisServerProcess.StartAsync(password);
        await using var environment = new TestEnvironment(
            "redis-pw", connection => connection with { Redis = redisServer.Configuration, RedisPassword = password });
        var authorized = await environment.StartReplicaAsync("r-auth", concurrency: 1);
        var withoutPassword = environment.Connection with { RedisPassword = null };
        await using var noPassword = ReplicaProcess.Start("r-none", ReplicaVariables(environment, "r-none", withoutPassword));
        await using var badPassword = ReplicaProcess.Start("r-bad",
            ReplicaVariables(environment, "r-bad", withoutPassword, ("REUSEQ_REDIS_PASSWORD", wrongPassword)));

        var client = await environment.ClientAsync();
        var submittedId = await client.SubmitAsync(environment.Name, "square", new SquareInput(6));
        var fetched = await client.WaitForResultAsync(submittedId, TimeSpan.FromSeconds(30));
        var cliVariables = CliVariables(environment);
        await using var submit = StartCli(
            cliVariables, "submit", "--env", environment.Name, "--task", "square", "--input", "{\"value\":7}", "--no-wait");
        Assert.Equal(0, await submit.WaitForExitAsync(ProcessTimeout));
        var cliExecutionId = ExecutionIdPattern().Match(submit.Output).Groups[1].Value;
        await using var result = StartCli(cliVariables, "result", cliExecutionId, "--wait", "30s");
        Assert.Equal(0, await result.WaitForExitAsync(ProcessTimeout));
        await WaitFor.ConditionAsync(
            () => noPassword.Output.Contains(HeartbeatFailed) && badPassword.Output.Contains(HeartbeatFailed),
            ProcessTimeout, "both replicas without the right password to warn about the heartbeat");
        // A heartbeat interval later, a replica that could write would have written.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var redis = await environment.RedisAsync();

        Assert.True(fetched.Succeeded, fetched.Error?.Message);
        Assert.Equal(36, fetched.Output!.Value.GetInt64());
        Assert.Matches("^[0-9a-f]{32}$", cliExecutionId);
        Assert.Equal(49, JsonDocument.Parse(JsonPart(result.Output)).RootElement.GetProperty("output").GetInt64());
        Assert.True(await redis.KeyExistsAsync(environment.Keys.Result(cliExecutionId)));
        Assert.True(await redis.KeyExistsAsync(environment.Keys.Heartbeat(environment.Name, "r-auth")));
        Assert.False(await redis.KeyExistsAsync(environment.Keys.Heartbeat(environment.Name, "r-none")));
        Assert.False(await redis.KeyExistsAsync(environment.Keys.Heartbeat(environment.Name, "r-bad")));
        Assert.Equal(["r-auth"], (await redis.SetMembersAsync(environment.Keys.Replicas(environment.Name))).Select(id => id.ToString()));
        Assert.False(noPassword.HasExited, noPassword.Output);
        Assert.False(badPassword.HasExited, badPassword.Output);
        foreach (var process in new[] { authorized, noPassword, badPassword, submit, result })
        {
            Assert.DoesNotContain(password, process.Output);
            Assert.DoesNotContain(wrongPassword, process.Output);
        }
    }

    [Fact]
    public async Task AmqpPasswordFile_IsReadAndChecked()
    {
        await using var environment = new TestEnvironment("pw-file");
        using var secrets = new TemporaryDirectory();
        // The local broker's guest account has the password guest.
        var rightFile = secrets.Write("amqp-password", "guest\n");
        var wrongPassword = DistinctivePassword();
        var wrongFile = secrets.Write("wrong-amqp-password", wrongPassword + "\n");

        var replica = await environment.StartReplicaAsync("r-file", concurrency: 1, extra: new Dictionary<string, string>
        {
            ["REUSEQ_AMQP_USER"] = "guest",
            ["REUSEQ_AMQP_PASSWORD_FILE"] = rightFile,
        });
        await using var rejected = ReplicaProcess.Start("r-wrong-file", ReplicaVariables(
            environment, "r-wrong-file", ("REUSEQ_AMQP_USER", "guest"), ("REUSEQ_AMQP_PASSWORD_FILE", wrongFile)));
        await using var submit = StartCli(
            CliVariables(environment, ("REUSEQ_AMQP_USER", "guest"), ("REUSEQ_AMQP_PASSWORD_FILE", rightFile)),
            "submit", "--env", environment.Name, "--task", "square", "--input", "{\"value\":9}", "--timeout", "20s");

        Assert.Equal(0, await submit.WaitForExitAsync(ProcessTimeout));
        var submitted = JsonDocument.Parse(JsonPart(submit.Output)).RootElement;
        Assert.Equal(81, submitted.GetProperty("output").GetInt64());
        Assert.Equal("r-file", submitted.GetProperty("replicaId").GetString());
        Assert.Equal(1, await rejected.WaitForExitAsync(ProcessTimeout));
        Assert.Contains(BrokerRejected, rejected.Output);
        Assert.DoesNotContain(wrongPassword, rejected.Output);
        Assert.False(replica.HasExited, replica.Output);
    }

    private static string DistinctivePassword() => "pw-" + Guid.NewGuid().ToString("N");

    private static ReplicaProcess StartCli(IReadOnlyDictionary<string, string> variables, params string[] arguments) =>
        ReplicaProcess.StartDotnet("reuseq " + arguments[0], variables, [ReplicaProcess.CliAssemblyPath, .. arguments]);

    private static Dictionary<string, string> CliVariables(TestEnvironment environment, params (string Name, string Value)[] extra)
    {
        var variables = new Dictionary<string, string>(environment.Connection.ToEnvironmentVariables());
        foreach (var (name, value) in extra)
        {
            variables[name] = value;
        }

        return variables;
    }

    private static Dictionary<string, string> ReplicaVariables(
        TestEnvironment environment, string replicaId, params (string Name, string Value)[] extra) =>
        ReplicaVariables(environment, replicaId, environment.Connection, extra);

    private static Dictionary<string, string> ReplicaVariables(
        TestEnvironment environment, string replicaId, Client.ConnectionOptions connection, params (string Name, string Value)[] extra)
    {
        var variables = new Dictionary<string, string>(connection.ToEnvironmentVariables())
        {
            ["REUSEQ_ENVIRONMENT"] = environment.Name,
            ["REUSEQ_REPLICA_ID"] = replicaId,
            ["REUSEQ_CONCURRENCY"] = "1",
        };
        foreach (var (name, value) in extra)
        {
            variables[name] = value;
        }

        return variables;
    }

    // The CLI prints the result as indented JSON, and a log line before it is not part of it.
    private static string JsonPart(string output) => output[output.IndexOf('{')..(output.LastIndexOf('}') + 1)];

    [GeneratedRegex("\"executionId\": \"([0-9a-f]+)\"")]
    private static partial Regex ExecutionIdPattern();
}
