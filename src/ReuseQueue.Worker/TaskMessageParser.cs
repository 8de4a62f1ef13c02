using System.Text.Json;
using ReuseQueue.Contracts;

namespace ReuseQueue.Worker;

/// <summary>
/// Reads task messages from AMQP deliveries and explains precisely what is wrong with a bad one.
/// </summary>
internal static class TaskMessageParser
{
    /// <summary>The largest accepted <c>attempt</c>; far above any sensible retry count.</summary>
    public const int MaxAttempt = 1_000_000;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>
    /// Parses <paramref name="body"/>. The execution id falls back to the AMQP <c>correlation_id</c>,
    /// then <c>message_id</c>, so that plain AMQP publishers need not repeat it in the body.
    /// </summary>
    public static ParsedTask Parse(
        ReadOnlyMemory<byte> body, string? contentType, string? correlationId, string? messageId, int maxPayloadBytes)
    {
        var fallbackId = correlationId ?? messageId ?? "unknown";
        if (body.Length > maxPayloadBytes)
        {
            return ParsedTask.Invalid(fallbackId, TaskErrorTypes.PayloadTooLarge,
                $"The task message is {body.Length} bytes, above this environment's limit of {maxPayloadBytes} bytes " +
                "(max_payload_bytes). Send large inputs by reference, for example as a URL or object key.");
        }

        if (!IsJsonContentType(contentType))
        {
            return ParsedTask.Invalid(fallbackId, TaskErrorTypes.UnsupportedContentType,
                $"The task message has content type '{contentType}'; ReuseQueue reads only " +
                $"'{WireFormat.ContentType}'. Publish the task as JSON with that content type (or none).");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException exception)
        {
            return ParsedTask.Invalid(fallbackId, TaskErrorTypes.MalformedMessage,
                $"The task message is not valid JSON: {exception.Message}");
        }

        using (document)
        {
            return ReadMessage(document.RootElement, correlationId, messageId, fallbackId);
        }
    }

    private static ParsedTask ReadMessage(JsonElement root, string? correlationId, string? messageId, string fallbackId)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ParsedTask.Invalid(fallbackId, TaskErrorTypes.MalformedMessage,
                $"The task message must be a JSON object with a 'task' field, but it is a JSON {Describe(root.ValueKind)}.");
        }

        var problems = new List<string>();
        var executionId = ReadOptionalString(root, "executionId", problems) ?? correlationId ?? messageId;
        var task = ReadOptionalString(root, "task", problems);
        if (task is null && !problems.Any(p => p.StartsWith("'task'", StringComparison.Ordinal)))
        {
            problems.Add("'task' is missing: set it to the name of the handler to run");
        }
        else if (task is { Length: 0 })
        {
            problems.Add("'task' is empty: set it to the name of the handler to run");
        }

        if (executionId is null)
        {
            problems.Add("'executionId' is missing and the message has no correlation_id or message_id property: " +
                         "set one so the result can be found");
        }

        var deadline = ReadDeadline(root, problems);
        var attempt = ReadAttempt(root, problems);
        if (problems.Count > 0)
        {
            return ParsedTask.Invalid(executionId ?? fallbackId, TaskErrorTypes.InvalidMessage,
                "The task message is invalid: " + string.Join("; ", problems) + ".");
        }

        var input = root.TryGetProperty("input", out var inputElement) ? inputElement.Clone() : default;
        return ParsedTask.Valid(new TaskMessage
        {
            Task = task!,
            ExecutionId = executionId!,
            Input = input,
            Deadline = deadline,
            Attempt = attempt,
        });
    }

    private static string? ReadOptionalString(JsonElement root, string name, List<string> problems)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            problems.Add($"'{name}' must be a string, but it is a JSON {Describe(element.ValueKind)}");
            return null;
        }

        return element.GetString();
    }

    private static DateTimeOffset? ReadDeadline(JsonElement root, List<string> problems)
    {
        if (!root.TryGetProperty("deadline", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.String && element.TryGetDateTimeOffset(out var deadline))
        {
            return deadline;
        }

        problems.Add("'deadline' must be an ISO 8601 timestamp string such as \"2026-01-31T12:00:00Z\"");
        return null;
    }

    private static int ReadAttempt(JsonElement root, List<string> problems)
    {
        if (!root.TryGetProperty("attempt", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var attempt) && attempt is >= 0 and <= MaxAttempt)
        {
            return attempt;
        }

        problems.Add($"'attempt' must be an integer from 0 to {MaxAttempt}, but it is {element.GetRawText()}");
        return 0;
    }

    private static bool IsJsonContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return true;
        }

        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals(WireFormat.ContentType, StringComparison.OrdinalIgnoreCase)
               || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase);
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
