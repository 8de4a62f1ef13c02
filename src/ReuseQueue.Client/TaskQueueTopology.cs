using RabbitMQ.Client;
using ReuseQueue.Contracts;

namespace ReuseQueue.Client;

/// <summary>
/// Declares an environment's queues. Every declarer (client, replica, autoscaler) uses these same
/// arguments, because RabbitMQ rejects a redeclaration whose arguments differ.
/// </summary>
public static class TaskQueueTopology
{
    /// <summary>Declares the durable task queue <c>reuse.&lt;environment&gt;</c>.</summary>
    public static Task DeclareTaskQueueAsync(IChannel channel, string environment, CancellationToken cancellationToken) =>
        channel.QueueDeclareAsync(
            QueueNames.TaskQueue(environment),
            durable: true,
            exclusive: false,
            autoDelete: false,
            arguments: null,
            cancellationToken: cancellationToken);

    /// <summary>Declares the durable error queue <c>reuse.&lt;environment&gt;.error</c>.</summary>
    public static Task DeclareErrorQueueAsync(IChannel channel, string environment, CancellationToken cancellationToken) =>
        channel.QueueDeclareAsync(
            QueueNames.ErrorQueue(environment),
            durable: true,
            exclusive: false,
            autoDelete: false,
            arguments: null,
            cancellationToken: cancellationToken);
}
