using System.Text;
using System.Text.Json;
using ReuseQueue.Contracts;
using ReuseQueue.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ReuseQueue.IntegrationTests.Faults;

/// <summary>
/// Thousands of random messages, most of them broken, on one replica. Every message gets exactly one
/// result, and good tasks return the right output. Bad ones fail with a documented error type and land
/// in the error queue, and the replica keeps running.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int MessageCount = 3000;
    private const int PayloadLimit = 64 * 1024;

    // The echo message's root object and its input object take two levels of the parser's limit of 64.
    private const int EnvelopeDepth = 2;
    private const int MaxDepth = 64;

    private static readonly string[] DocumentedErrorTypes =
    [
        TaskErrorTypes.MalformedMessage, TaskErrorTypes.InvalidMessage, TaskErrorTypes.UnsupportedContentType,
        TaskErrorTypes.PayloadTooLarge, TaskErrorTypes.UnknownTask, TaskErrorTypes.InvalidInput,
        TaskErrorTypes.DeadlineExceeded,
    ];

    [Fact]
    public async Task MixedMessages_OneResultEach()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var fixedSeed) ? fixedSeed : Random.Shared.Next();
        output.WriteLine($"seed {seed} (set FUZZ_SEED={seed} to repeat this run)");
        var random = new Random(seed);
        await using var environment = new TestEnvironment("fuzz");
        var replica = await environment.StartReplicaAsync("r1", concurrency: 4,
            extra: new Dictionary<string, string> { ["REUSEQ_MAX_PAYLOAD_BYTES"] = PayloadLimit.ToString() });
        await using var counter = await ReplyCounter.ConnectAsync(environment.Connection);
        var redis = await environment.RedisAsync();

        var cases = new List<FuzzCase>();
        for (var i = 0; i < MessageCount; i++)
        {
            var fuzzCase = NextCase(random, Guid.NewGuid().ToString("N"));
            cases.Add(fuzzCase);
            await counter.PublishRawAsync(environment.Name, fuzzCase.Id, fuzzCase.Body, fuzzCase.ContentType, fuzzCase.WithReplyTo);
        }

        var withReplyTo = cases.Where(fuzzCase => fuzzCase.WithReplyTo).ToList();
        var stored = cases.Where(fuzzCase => !fuzzCase.WithReplyTo).ToList();
        var bad = cases.Count(fuzzCase => fuzzCase.ExpectedErrorType is not null);
        foreach (var kind in cases.GroupBy(fuzzCase => fuzzCase.Kind).OrderBy(group => group.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{kind.Key}: {kind.Count()}");
        }

        await counter.WaitForAsync(withReplyTo.Count, TimeSpan.FromSeconds(60));
        var storedResults = new Dictionary<string, TaskResult>(StringComparer.Ordinal);
        await WaitFor.ConditionAsync(async () =>
        {
            foreach (var fuzzCase in stored.Where(fuzzCase => !storedResults.ContainsKey(fuzzCase.Id)))
            {
                var value = await redis.StringGetAsync(environment.Keys.Result(fuzzCase.Id));
                if (value.HasValue)
                {
                    storedResults[fuzzCase.Id] = JsonSerializer.Deserialize<TaskResult>(value.ToString(), WireJson.Options)!;
                }
            }

            return storedResults.Count == stored.Count;
        }, TimeSpan.FromSeconds(30), $"{stored.Count} results without reply_to to be stored in Redis");
        await WaitFor.ConditionAsync(
            async () => await environment.ErrorQueueDepthAsync() >= bad, TimeSpan.FromSeconds(30), $"{bad} messages in the error queue");
        // Late duplicates of a reply or an error-queue copy would arrive within this pause.
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal(withReplyTo.Count, counter.Replies.Count);
        foreach (var fuzzCase in withReplyTo)
        {
            Assert.True(counter.Replies.GetValueOrDefault(fuzzCase.Id) == 1,
                $"{fuzzCase.Describe()} got {counter.Replies.GetValueOrDefault(fuzzCase.Id)} replies");
            AssertOutcome(fuzzCase, counter.Results[fuzzCase.Id]);
        }

        foreach (var fuzzCase in stored)
        {
            AssertOutcome(fuzzCase, storedResults[fuzzCase.Id]);
        }

        Assert.Equal((uint)bad, await environment.ErrorQueueDepthAsync());
        Assert.False(replica.HasExited, replica.Output);
        var heartbeat = JsonSerializer.Deserialize<ReplicaHeartbeat>(
            (await redis.StringGetAsync(environment.Keys.Heartbeat(environment.Name, "r1"))).ToString(), WireJson.Options)!;
        Assert.Equal(ReplicaState.Running, heartbeat.State);
        Assert.InRange(DateTimeOffset.UtcNow - heartbeat.BeatAt, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.Equal(0, heartbeat.InFlight);
    }

    private static void AssertOutcome(FuzzCase fuzzCase, TaskResult result)
    {
        if (fuzzCase.ExpectedErrorType is { } expectedType)
        {
            Assert.True(result.Status == ExecutionStatus.Failed, $"{fuzzCase.Describe()} succeeded");
            Assert.Contains(result.Error!.Type, DocumentedErrorTypes);
            Assert.True(expectedType == result.Error.Type,
                $"{fuzzCase.Describe()} failed with {result.Error.Type}: {result.Error.Message}");
            return;
        }

        Assert.True(result.Succeeded, $"{fuzzCase.Describe()} failed: {result.Error?.Type}: {result.Error?.Message}");
        Assert.True(JsonElement.DeepEquals(fuzzCase.ExpectedOutput!.Value, result.Output!.Value),
            $"{fuzzCase.Describe()} returned {Shorten(result.Output.Value.GetRawText())}");
    }

    private static FuzzCase NextCase(Random random, string id)
    {
        var withReplyTo = random.Next(20) != 0;
        var roll = random.Next(100);
        var fuzzCase = roll switch
        {
            < 20 => GoodSquare(random, id),
            < 23 => GoodSquareWithContentType(random, id),
            < 35 => RandomBytes(random, id),
            < 47 => Truncated(random, id),
            < 55 => DeeplyNested(random, id),
            < 56 => Huge(random, id),
            < 68 => WrongTypes(random, id),
            < 78 => MissingOrUnknownTask(random, id),
            < 86 => WrongContentType(random, id),
            < 93 => InvalidInput(random, id),
            < 96 => PastDeadline(random, id),
            < 98 => EchoAtPayloadLimit(id),
            _ => EchoAtDepthLimit(id),
        };
        return fuzzCase with { WithReplyTo = withReplyTo };
    }

    private static FuzzCase GoodSquare(Random random, string id)
    {
        var value = random.NextInt64(-3_000_000_000, 3_000_000_000);
        return Good("square", id, Json(Envelope("square", id, $"{{\"value\":{value}}}")), WireFormat.ContentType, value * value);
    }

    private static FuzzCase GoodSquareWithContentType(Random random, string id)
    {
        string?[] contentTypes = [null, "application/json; charset=utf-8", "APPLICATION/JSON", "text/json"];
        var contentType = contentTypes[random.Next(contentTypes.Length)];
        var value = random.Next(-1000, 1000);
        return Good("square, other JSON content type", id,
            Json(Envelope("square", id, $"{{\"value\":{value}}}")), contentType, (long)value * value);
    }

    private static FuzzCase RandomBytes(Random random, string id)
    {
        var body = new byte[random.Next(0, 300)];
        random.NextBytes(body);
        if (body.Length > 0)
        {
            // No JSON text starts with a control character or a byte above 0x7F.
            body[0] = (byte)(random.Next(2) == 0 ? random.Next(0x00, 0x09) : random.Next(0x80, 0x100));
        }

        return Bad("random bytes", id, body, WireFormat.ContentType, TaskErrorTypes.MalformedMessage);
    }

    private static FuzzCase Truncated(Random random, string id)
    {
        var whole = Json(Envelope("square", id, $"{{\"value\":{random.Next()}}}"));
        return Bad("truncated JSON", id, whole[..random.Next(1, whole.Length)], WireFormat.ContentType, TaskErrorTypes.MalformedMessage);
    }

    private static FuzzCase DeeplyNested(Random random, string id)
    {
        // Up to 10,000 levels of at most 6 bytes each stay below the payload limit, so the depth is what fails.
        var depth = random.Next(2) == 0 ? random.Next(MaxDepth - EnvelopeDepth + 1, 200) : random.Next(200, 10_000);
        var (open, close) = random.Next(2) == 0 ? ("[", "]") : ("{\"a\":", "}");
        var nested = string.Concat(Enumerable.Repeat(open, depth)) + (open == "[" ? "" : "1") + string.Concat(Enumerable.Repeat(close, depth));
        return Bad("nested too deep", id, Json(Envelope("echo", id, $"{{\"value\":{nested}}}")), WireFormat.ContentType,
            TaskErrorTypes.MalformedMessage);
    }

    private static FuzzCase Huge(Random random, string id)
    {
        var target = random.Next(2) == 0 ? PayloadLimit + 1 : random.Next(PayloadLimit + 2, PayloadLimit * 4);
        return Bad("above payload limit", id, EchoOfSize(id, target).Body, WireFormat.ContentType, TaskErrorTypes.PayloadTooLarge);
    }

    private static FuzzCase WrongTypes(Random random, string id)
    {
        string[] bodies =
        [
            $"{{\"task\":42,\"executionId\":\"{id}\"}}",
            $"{{\"task\":[\"square\"],\"executionId\":\"{id}\"}}",
            $"{{\"task\":{{\"name\":\"square\"}},\"executionId\":\"{id}\"}}",
            $"{{\"task\":true,\"executionId\":\"{id}\"}}",
            $"{{\"task\":\"square\",\"executionId\":7,\"input\":{{\"value\":2}}}}",
            $"{{\"task\":\"square\",\"executionId\":\"{id}\",\"attempt\":\"x\"}}",
            $"{{\"task\":\"square\",\"executionId\":\"{id}\",\"attempt\":-1}}",
            $"{{\"task\":\"square\",\"executionId\":\"{id}\",\"attempt\":1.5}}",
            $"{{\"task\":\"square\",\"executionId\":\"{id}\",\"attempt\":2000000}}",
            $"{{\"task\":\"square\",\"executionId\":\"{id}\",\"deadline\":5}}",
            $"{{\"task\":\"square\",\"executionId\":\"{id}\",\"deadline\":\"tomorrow\"}}",
        ];
        return Bad("wrong field type", id, Json(bodies[random.Next(bodies.Length)]), WireFormat.ContentType, TaskErrorTypes.InvalidMessage);
    }

    private static FuzzCase MissingOrUnknownTask(Random random, string id)
    {
        (string Body, string Type)[] variants =
        [
            ($"{{\"executionId\":\"{id}\",\"input\":{{\"value\":3}}}}", TaskErrorTypes.InvalidMessage),
            ($"{{\"task\":\"\",\"executionId\":\"{id}\"}}", TaskErrorTypes.InvalidMessage),
            ($"{{\"task\":null,\"executionId\":\"{id}\"}}", TaskErrorTypes.InvalidMessage),
            ("{}", TaskErrorTypes.InvalidMessage),
            ($"{{\"task\":\"no-such-task-{random.Next()}\",\"executionId\":\"{id}\"}}", TaskErrorTypes.UnknownTask),
            ($"{{\"task\":\"SQUARE\",\"executionId\":\"{id}\",\"input\":{{\"value\":3}}}}", TaskErrorTypes.UnknownTask),
            ("[1,2,3]", TaskErrorTypes.MalformedMessage),
            ("\"square\"", TaskErrorTypes.MalformedMessage),
            ("null", TaskErrorTypes.MalformedMessage),
        ];
        var (body, type) = variants[random.Next(variants.Length)];
        return Bad("missing or unknown task", id, Json(body), WireFormat.ContentType, type);
    }

    private static FuzzCase WrongContentType(Random random, string id)
    {
        string[] contentTypes = ["text/plain", "application/xml", "application/octet-stream", "application/jsonx", "json"];
        var contentType = contentTypes[random.Next(contentTypes.Length)];
        return Bad("wrong content type", id, Json(Envelope("square", id, "{\"value\":3}")), contentType,
            TaskErrorTypes.UnsupportedContentType);
    }

    private static FuzzCase InvalidInput(Random random, string id)
    {
        string[] inputs = ["{\"value\":\"seven\"}", "[1]", "{\"value\":1.5}", "{\"value\":1e30}", "null", "{\"value\":null}", "{}", "\"7\""];
        return Bad("input does not fit", id, Json(Envelope("square", id, inputs[random.Next(inputs.Length)])), WireFormat.ContentType,
            TaskErrorTypes.InvalidInput);
    }

    private static FuzzCase PastDeadline(Random random, string id) =>
        Bad("deadline passed", id,
            Json($"{{\"task\":\"square\",\"executionId\":\"{id}\",\"input\":{{\"value\":3}},\"deadline\":\"2001-0{random.Next(1, 10)}-01T00:00:00Z\"}}"),
            WireFormat.ContentType, TaskErrorTypes.DeadlineExceeded);

    private static FuzzCase EchoAtPayloadLimit(string id) => EchoOfSize(id, PayloadLimit);

    private static FuzzCase EchoAtDepthLimit(string id)
    {
        var depth = MaxDepth - EnvelopeDepth;
        var nested = string.Concat(Enumerable.Repeat("[", depth)) + string.Concat(Enumerable.Repeat("]", depth));
        return Good("echo nested to the depth limit", id, Json(Envelope("echo", id, $"{{\"value\":{nested}}}")), WireFormat.ContentType,
            JsonDocument.Parse(nested).RootElement.Clone());
    }

    // An echo task whose body is exactly `size` bytes: the padding string takes up the difference.
    private static FuzzCase EchoOfSize(string id, int size)
    {
        var empty = Envelope("echo", id, "{\"value\":\"\"}");
        var padding = new string('x', size - Encoding.UTF8.GetByteCount(empty));
        var body = Json(Envelope("echo", id, $"{{\"value\":\"{padding}\"}}"));
        Assert.Equal(size, body.Length);
        return Good(size == PayloadLimit ? "echo at payload limit" : "echo", id, body, WireFormat.ContentType, JsonSerializer.SerializeToElement(padding));
    }

    private static string Envelope(string task, string id, string input) =>
        $"{{\"task\":\"{task}\",\"executionId\":\"{id}\",\"input\":{input}}}";

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    private static FuzzCase Good(string kind, string id, byte[] body, string? contentType, long square) =>
        Good(kind, id, body, contentType, JsonSerializer.SerializeToElement(square));

    private static FuzzCase Good(string kind, string id, byte[] body, string? contentType, JsonElement output) =>
        new(kind, id, body, contentType, WithReplyTo: true, ExpectedErrorType: null, ExpectedOutput: output);

    private static FuzzCase Bad(string kind, string id, byte[] body, string? contentType, string errorType) =>
        new(kind, id, body, contentType, WithReplyTo: true, ExpectedErrorType: errorType, ExpectedOutput: null);

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "..." : text;

    /// <summary>One generated message and what the replica should make of it.</summary>
    private sealed record FuzzCase(
        string Kind, string Id, byte[] Body, string? ContentType, bool WithReplyTo, string? ExpectedErrorType, JsonElement? ExpectedOutput)
    {
        public string Describe() =>
            $"{Kind} (id {Id}, content type {ContentType ?? "(none)"}, {Body.Length} bytes, reply_to {(WithReplyTo ? "set" : "unset")}): " +
            Shorten(Encoding.UTF8.GetString(Body));
    }
}
