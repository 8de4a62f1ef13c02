using System.Text.Json;

namespace ReuseQueue.Worker;

/// <summary>
/// The named task handlers of one environment. Handlers are registered before the replica starts
/// and live as long as the process, so state they capture (a loaded model, a cache) serves every task.
/// </summary>
public sealed class TaskHandlerRegistry
{
    private readonly Dictionary<string, ITaskHandler> _handlers = new(StringComparer.Ordinal);

    /// <summary>The registered task names, sorted.</summary>
    public IReadOnlyList<string> Names => _handlers.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Registers a handler with typed input and output, both read and written as JSON.</summary>
    /// <exception cref="ArgumentException">The name is empty or already registered.</exception>
    public TaskHandlerRegistry Map<TInput, TOutput>(
        string name, Func<TInput, TaskContext, CancellationToken, Task<TOutput>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A task name must not be empty.", nameof(name));
        }

        if (!_handlers.TryAdd(name, new TaskHandler<TInput, TOutput>(name, handler)))
        {
            throw new ArgumentException($"A handler for task '{name}' is already registered.", nameof(name));
        }

        return this;
    }

    /// <summary>Registers a handler that takes no input; any input sent is ignored.</summary>
    public TaskHandlerRegistry Map<TOutput>(string name, Func<TaskContext, CancellationToken, Task<TOutput>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Map<JsonElement, TOutput>(name, (_, context, cancellationToken) => handler(context, cancellationToken));
    }

    internal bool TryGet(string name, out ITaskHandler handler) => _handlers.TryGetValue(name, out handler!);
}
