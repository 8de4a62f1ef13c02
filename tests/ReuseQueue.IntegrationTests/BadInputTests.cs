using System.Text;
using ReuseQueue.Client;
using ReuseQueue.Contracts;
using ReuseQueue.ExampleWorker;
using ReuseQueue.IntegrationTests.Infrastructure;

namespace ReuseQueue.IntegrationTests;

/// <summary>
/// Bad task messages get a failure that names what was wrong, land in the error queue with the reason,
/// and leave the replica serving the next good task.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class BadInputTests
{
    public static TheoryData<string, string?, string, string> BadMessages => new()
    {
        { "{\"task\": \"square\", \"input\": ", "application/json", TaskErrorTypes.MalformedMessage, "not valid JSON" },
        { "[1, 2, 3]", "application/json", TaskErrorTypes.MalformedMessage, "must be a JSON object" },
        { "{\"input\": {\"value\": 3}}", "application/json", TaskErrorTypes.InvalidMessage, "'task' is missing" },
        { "{\"task\": 42}", "application/json", TaskErrorTypes.InvalidMessage, "'task' must be a string, but it is a JSON number" },
        { "{\"task\": \"square\", \"attempt\": \"x\"}", "application/json", TaskErrorTypes.InvalidMessage, "'attempt' must be an integer from 0 to 1000000" },
        { "{\"task\": \"square\", \"input\": {\"value\": \"seven\"}}", "application/json", TaskErrorTypes.InvalidInput, "does not fit SquareInput" },
        { "{\"task\": \"square\"}", "application/json", TaskErrorTypes.InvalidInput, "is missing or null" },
        { "{\"task\": \"square\", \"input\": {\"value\": 3}}", "text/plain", TaskErrorTypes.UnsupportedContentType, "content type 'text/plain'" },
    };

    [Theory]
    [MemberData(nameof(BadMessages))]
    public async Task Publish_BadMessage_FailsWithReasonAndReplicaServesNextTask(
        string body, string? contentType, string expectedType, string expectedMessagePart)
    {
        await using var environment = new TestEnvironment("bad");
        var replica = await environment.StartReplicaAsync("r1", concurrency: 1);
        await using var caller = await ReplyCounter.ConnectAsync(environment.Connection);

        var failure = await caller.CallRawAsync(environment.Name, Encoding.UTF8.GetBytes(body), contentType);

        Assert.Equal(ExecutionStatus.Failed, failure.Status);
        Assert.Equal(expectedType, failure.Error!.Type);
        Assert.Contains(expectedMessagePart, failure.Error.Message);
        await AssertNextTaskSucceedsAsync(environment);
        Assert.False(replica.HasExited);
        await AssertErrorQueueHoldsAsync(environment, body, expectedType);
    }

    [Fact]
    public async Task Run_UnknownTask_FailureNamesEnvironmentAndKnownTasks()
    {
        await using var environment = new TestEnvironment("unknown");
        await environment.StartReplicaAsync("r1", concurrency: 1);
        var client = await environment.ClientAsync();

        var exception = await Assert.ThrowsAsync<TaskFailedException>(() =>
            client.RunAsync<object?, object>(environment.Name, "no-such-task", null));

        Assert.Equal(TaskErrorTypes.UnknownTask, exception.ErrorType);
        Assert.Equal(
            $"Environment '{environment.Name}' has no task named 'no-such-task'. " +
            "Known tasks: count, echo, fail, fanout, predict, sleep, square.",
            exception.Result.Error!.Message);
        await AssertNextTaskSucceedsAsync(environment);
    }

    [Fact]
    public async Task Run_HandlerThrows_FailureCarriesTypeAndMessageAndGoesToErrorQueue()
    {
        await using var environment = new TestEnvironment("throws");
        await environment.StartReplicaAsync("r1", concurrency: 1);
        var client = await environment.ClientAsync();

        var exception = await Assert.ThrowsAsync<TaskFailedException>(() =>
            client.RunAsync<FailInput, object>(environment.Name, "fail", new FailInput("disk full")));

        Assert.Equal("System.InvalidOperationException", exception.ErrorType);
        Assert.Equal("disk full", exception.Result.Error!.Message);
        Assert.Equal(1, exception.Result.Attempts);
        await AssertNextTaskSucceedsAsync(environment);
        var errorMessage = await environment.GetErrorMessageAsync();
        Assert.NotNull(errorMessage);
        Assert.Equal("disk full", HeaderText(errorMessage.BasicProperties.Headers![MessageHeaders.ErrorReason]));
    }

    [Fact]
    public async Task Run_HandlerThrowsWithTwoRetries_RunsThreeTimesThenFails()
    {
        await using var environment = new TestEnvironment("retries");
        await environment.StartReplicaAsync("r1", concurrency: 1, retries: 2);
        var client = await environment.ClientAsync();

        var exception = await Assert.ThrowsAsync<TaskFailedException>(() =>
            client.RunAsync<FailInput, object>(environment.Name, "fail", new FailInput("still broken")));

        Assert.Equal(3, exception.Result.Attempts);
        Assert.Equal(1u, await environment.ErrorQueueDepthAsync());
    }

    [Fact]
    public async Task Publish_AbovePayloadLimit_FailsWithLimitNamed()
    {
        await using var environment = new TestEnvironment("payload");
        await environment.StartReplicaAsync("r1", concurrency: 1,
            extra: new Dictionary<string, string> { ["REUSEQ_MAX_PAYLOAD_BYTES"] = "1000" });
        await using var caller = await ReplyCounter.ConnectAsync(environment.Connection);
        var body = Encoding.UTF8.GetBytes($"{{\"task\":\"echo\",\"input\":{{\"value\":\"{new string('x', 2000)}\"}}}}");

        var failure = await caller.CallRawAsync(environment.Name, body);

        Assert.Equal(TaskErrorTypes.PayloadTooLarge, failure.Error!.Type);
        Assert.Contains($"{body.Length} bytes, above this environment's limit of 1000 bytes", failure.Error.Message);
        await AssertNextTaskSucceedsAsync(environment);
    }

    private static async Task AssertNextTaskSucceedsAsync(TestEnvironment environment)
    {
        var client = await environment.ClientAsync();
        var square = await client.RunAsync<SquareInput, long>(environment.Name, "square", new SquareInput(9));
        Assert.Equal(81, square);
    }

    private static async Task AssertErrorQueueHoldsAsync(TestEnvironment environment, string body, string expectedType)
    {
        var message = await environment.GetErrorMessageAsync();
        Assert.NotNull(message);
        Assert.Equal(body, Encoding.UTF8.GetString(message.Body.Span));
        Assert.Equal(expectedType, HeaderText(message.BasicProperties.Headers![MessageHeaders.ErrorType]));
        Assert.Equal("r1", HeaderText(message.BasicProperties.Headers![MessageHeaders.ReplicaId]));
    }

    private static string? HeaderText(object? value) =>
        value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value?.ToString();
}
