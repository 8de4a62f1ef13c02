using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace ReuseQueue.Worker;

/// <summary>
/// Consumes <c>reuse.&lt;environment&gt;</c>. The channel's dispatch concurrency and prefetch both equal
/// the replica's concurrency, so at most that many deliveries are handled at once. Each delivery is
/// acknowledged only after its result, retry or error copy has been handed over.
/// </summary>
internal sealed class TaskConsumer(
    IChannel channel,
    TaskExecutor executor,
    ResultPublisher publisher,
    ReplicaStats stats,
    ReplicaOptions options,
    ILogger logger,
    CancellationToken handlerCancellation,
    Action onBrokerCancel) : AsyncDefaultBasicConsumer(channel)
{
    /// <summary>How long handing over a result, retry or error copy may take before the task is requeued.</summary>
    public static readonly TimeSpan HandOverTimeout = TimeSpan.FromSeconds(30);

    private bool _cancelledByReplica;

    /// <summary>Stops consuming; the broker sends no new deliveries after this.</summary>
    public async Task CancelAsync(string consumerTag)
    {
        _cancelledByReplica = true;
        if (Channel.IsOpen)
        {
            await Channel.BasicCancelAsync(consumerTag, noWait: false, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public override async Task HandleBasicDeliverAsync(
        string consumerTag, ulong deliveryTag, bool redelivered, string exchange, string routingKey,
        IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        stats.TaskStarted();
        try
        {
            await HandleAsync(deliveryTag, properties, body).ConfigureAwait(false);
        }
        finally
        {
            stats.TaskFinished();
        }
    }

    private async Task HandleAsync(ulong deliveryTag, IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body)
    {
        var parsed = TaskMessageParser.Parse(
            body, properties.ContentType, properties.CorrelationId, properties.MessageId, options.MaxPayloadBytes);
        var outcome = await executor.ExecuteAsync(parsed, handlerCancellation).ConfigureAwait(false);
        if (outcome.Abandoned)
        {
            return;
        }

        // A publish that never completes (for example on a connection the broker closed) must not
        // hold a task slot forever, so every hand-over has a time limit.
        using var handOverTimeout = new CancellationTokenSource(HandOverTimeout);
        try
        {
            if (outcome.Retry is { } retry)
            {
                await publisher.RequeueForRetryAsync(retry, properties, handOverTimeout.Token).ConfigureAwait(false);
            }
            else
            {
                await publisher.PublishReplyAsync(outcome.Result, properties, handOverTimeout.Token).ConfigureAwait(false);
                if (!outcome.Result.Succeeded)
                {
                    await publisher.SendToErrorQueueAsync(outcome.Result, properties, body, handOverTimeout.Token)
                        .ConfigureAwait(false);
                }
            }
        }
        catch (Exception exception)
        {
            // The result could not be handed over. Returning the message to the queue runs the task
            // again, which is the at-least-once promise; dropping it would lose the result.
            Log.ResultDeliveryFailed(logger, exception, parsed.ExecutionId);
            await SettleAsync(deliveryTag, requeue: true).ConfigureAwait(false);
            return;
        }

        await SettleAsync(deliveryTag, requeue: null).ConfigureAwait(false);
    }

    private async Task SettleAsync(ulong deliveryTag, bool? requeue)
    {
        try
        {
            if (requeue is null)
            {
                await Channel.BasicAckAsync(deliveryTag, multiple: false, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                await Channel.BasicNackAsync(deliveryTag, multiple: false, requeue.Value, CancellationToken.None)
                    .ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is AlreadyClosedException or OperationInterruptedException)
        {
            // The channel closed under the task; the broker requeues the delivery on its own.
            Log.AcknowledgementLost(logger, deliveryTag, exception.Message);
        }
    }

    protected override Task OnCancelAsync(string[] consumerTags, CancellationToken cancellationToken = default)
    {
        if (!_cancelledByReplica)
        {
            Log.ConsumerCancelled(logger, string.Join(",", consumerTags));
            onBrokerCancel();
        }

        return base.OnCancelAsync(consumerTags, cancellationToken);
    }
}
