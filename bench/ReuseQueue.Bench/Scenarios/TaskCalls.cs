using System.Text.Json;
using ReuseQueue.Client;
using ReuseQueue.Contracts;

namespace ReuseQueue.Bench.Scenarios;

/// <summary>The two tasks the benchmark runs on the example worker: <c>echo</c> of a tiny input (no-op) and <c>sleep</c> for 1 ms.</summary>
public static class TaskCalls
{
    private static readonly JsonElement EchoInput = JsonSerializer.SerializeToElement(new { value = 1 }, WireJson.Options);
    private static readonly JsonElement SleepInput = JsonSerializer.SerializeToElement(new { milliseconds = 1 }, WireJson.Options);

    /// <summary>Runs one task through the client and throws unless it succeeded.</summary>
    public static async Task RunAsync(ReuseQueueClient client, string environment, bool sleep)
    {
        var result = await client.RunAsync(
            environment, sleep ? "sleep" : "echo", sleep ? SleepInput : EchoInput,
            new RunOptions { Timeout = TimeSpan.FromSeconds(120) });
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Task {(sleep ? "sleep" : "echo")} failed: {result.Error?.Message}");
        }
    }
}
