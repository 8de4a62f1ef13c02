using System.Diagnostics;
using System.Text.Json;
using ReuseQueue.IntegrationTests.Infrastructure;

namespace ReuseQueue.IntegrationTests;

/// <summary>A Node.js service with only the amqplib package publishes a task and gets its result.</summary>
[Collection(ServicesCollection.Name)]
public sealed class NodePublisherTests
{
    [Fact]
    public async Task NodePublisher_SquareTask_GetsResultOnReplyQueue()
    {
        await using var environment = new TestEnvironment("node");
        await environment.StartReplicaAsync("r1", concurrency: 1);

        var (exitCode, stdout, stderr) = await RunNodeAsync(
            "--url", BrokerUrlWithCredentials(environment),
            "--env", environment.Name,
            "--task", "square",
            "--input", "{\"value\": 7}");

        Assert.True(exitCode == 0, $"exit code {exitCode}\nstdout: {stdout}\nstderr: {stderr}");
        using var reply = JsonDocument.Parse(stdout);
        Assert.Equal("succeeded", reply.RootElement.GetProperty("status").GetString());
        Assert.Equal(49, reply.RootElement.GetProperty("output").GetInt64());
        Assert.Equal("r1", reply.RootElement.GetProperty("replicaId").GetString());
    }

    [Fact]
    public async Task NodePublisher_UnknownTask_GetsFailureAndExitsOne()
    {
        await using var environment = new TestEnvironment("node-fail");
        await environment.StartReplicaAsync("r1", concurrency: 1);

        var (exitCode, stdout, _) = await RunNodeAsync(
            "--url", BrokerUrlWithCredentials(environment),
            "--env", environment.Name,
            "--task", "nope",
            "--input", "null");

        Assert.Equal(1, exitCode);
        using var reply = JsonDocument.Parse(stdout);
        Assert.Equal("failed", reply.RootElement.GetProperty("status").GetString());
        Assert.Equal("UnknownTask", reply.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    private static string BrokerUrlWithCredentials(TestEnvironment environment)
    {
        var builder = new UriBuilder(environment.Connection.AmqpUri);
        if (string.IsNullOrEmpty(builder.UserName))
        {
            builder.UserName = environment.Connection.AmqpUser ?? "guest";
            builder.Password = environment.Connection.AmqpPassword ?? "guest";
        }

        return builder.Uri.ToString();
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunNodeAsync(params string[] arguments)
    {
        var directory = Path.Combine(RepositoryPaths.Root, "tests", "node-publisher");
        Assert.True(Directory.Exists(Path.Combine(directory, "node_modules", "amqplib")),
            $"amqplib is not installed: run `npm ci` in {directory} (the test script does this).");

        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add("publish.js");
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout).Trim(), (await stderr).Trim());
    }
}
