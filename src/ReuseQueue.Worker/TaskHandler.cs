using System.Text.Json;
using ReuseQueue.Contracts;

namespace ReuseQueue.Worker;

/// <summary>A registered handler: reads its typed input from JSON, runs, and writes its output as JSON.</summary>
internal sealed class TaskHandler<TInput, TOutput>(
    string name, Func<TInput, TaskContext, CancellationToken, Task<TOutput>> handler) : ITaskHandler
{
    public string Name { get; } = name;

    public async Task<JsonElement> InvokeAsync(JsonElement input, TaskContext context, CancellationToken cancellationToken)
    {
        var typedInput = ReadInput(input);
        var output = await handler(typedInput, context, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.SerializeToElement(output, WireJson.Options);
    }

    private TInput ReadInput(JsonElement input)
    {
        TInput? value;
        try
        {
            value = input.ValueKind == JsonValueKind.Undefined
                ? default
                : input.Deserialize<TInput>(WireJson.Options);
        }
        catch (JsonException exception)
        {
            throw new InvalidTaskInputException(
                $"The input of task '{Name}' does not fit {typeof(TInput).Name}: {exception.Message}", exception);
        }

        if (value is null && !IsNullable())
        {
            throw new InvalidTaskInputException(
                $"The input of task '{Name}' is missing or null, but the task needs a {typeof(TInput).Name}.");
        }

        return value!;
    }

    private static bool IsNullable() =>
        typeof(TInput) == typeof(JsonElement) || Nullable.GetUnderlyingType(typeof(TInput)) is not null;
}
