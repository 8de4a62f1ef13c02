using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using ReuseQueue.Contracts;
using ReuseQueue.Core.Scaling;

namespace ReuseQueue.Autoscaler.Observation;

/// <summary>
/// Reads queue depth over AMQP with a passive declare per environment. It reads ready messages and
/// consumers only. Unacknowledged counts are not available this way, so it reports them as 0.
/// </summary>
public sealed class PassiveDeclareQueueObserver(IConnection connection) : IQueueObserver
{
    private IChannel? _channel;

    public async Task<IReadOnlyDictionary<string, QueueObservation>> ObserveAsync(
        IReadOnlyList<string> environments, CancellationToken cancellationToken)
    {
        var observations = new Dictionary<string, QueueObservation>(StringComparer.Ordinal);
        foreach (var environment in environments)
        {
            if (_channel is not { IsOpen: true })
            {
                _channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            try
            {
                var queue = await _channel.QueueDeclarePassiveAsync(QueueNames.TaskQueue(environment), cancellationToken)
                    .ConfigureAwait(false);
                observations[environment] = QueueObservation.Of(queue.MessageCount, 0, (int)queue.ConsumerCount);
            }
            catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
            {
                // The queue does not exist yet: nothing was ever published or consumed there. The
                // broker closed the channel, so the next environment opens a new one.
                observations[environment] = QueueObservation.Of(0, 0);
            }
        }

        return observations;
    }
}
