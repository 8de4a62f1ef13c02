using System.Text.Json;
using ReuseQueue.Contracts;

namespace ReuseQueue.Client;

/// <summary>Reads a succeeded result's output as a .NET type.</summary>
public static class OutputReader
{
    /// <summary>Deserializes <see cref="TaskResult.Output"/>; throws with the task and type named when it does not fit.</summary>
    public static TOutput Read<TOutput>(TaskResult result)
    {
        var output = result.Output ?? JsonSerializer.SerializeToElement<object?>(null, WireJson.Options);
        try
        {
            return output.Deserialize<TOutput>(WireJson.Options)!;
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException(
                $"The output of task '{result.Task}' ({result.ExecutionId}) does not fit {typeof(TOutput).Name}: " +
                exception.Message, exception);
        }
    }
}
