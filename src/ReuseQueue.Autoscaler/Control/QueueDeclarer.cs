using RabbitMQ.Client;
using ReuseQueue.Client;

namespace ReuseQueue.Autoscaler.Control;

/// <summary>
/// Declares the task and error queues of every configured environment, so that a task published by
/// plain AMQP to an environment at zero replicas waits in its queue instead of being dropped as
/// unroutable. Each environment is declared once per process.
/// </summary>
public sealed class QueueDeclarer(IConnection connection)
{
    private readonly HashSet<string> _declared = new(StringComparer.Ordinal);

    public async Task DeclareAsync(IEnumerable<string> environments, CancellationToken cancellationToken)
    {
        var missing = environments.Where(name => !_declared.Contains(name)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var environment in missing)
        {
            await TaskQueueTopology.DeclareTaskQueueAsync(channel, environment, cancellationToken).ConfigureAwait(false);
            await TaskQueueTopology.DeclareErrorQueueAsync(channel, environment, cancellationToken).ConfigureAwait(false);
            _declared.Add(environment);
        }
    }
}
