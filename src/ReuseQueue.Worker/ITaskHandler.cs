using System.Text.Json;

namespace ReuseQueue.Worker;

internal interface ITaskHandler
{
    string Name { get; }

    Task<JsonElement> InvokeAsync(JsonElement input, TaskContext context, CancellationToken cancellationToken);
}
