using System.Text.Json;
using RabbitMQ.Client;
using ReuseQueue.Contracts;
using StackExchange.Redis;

namespace ReuseQueue.Worker;

/// <summary>
/// Delivers what became of a task: the result to the caller's <c>reply_to</c> or to Redis, a retry back
/// to the task queue, a failure to the error queue. Retries and error-queue copies go through a
/// channel with publisher confirms, so the original is acknowledged only after the broker holds the copy.
/// </summary>
internal sealed class ResultPublisher(
    IChannel replyChannel,
    IChannel confirmChannel,
    IDatabase redis,
    ReplicaOptions options,
    TimeProvider timeProvider)
{
    private readonly RedisKeys _keys = options.Connection.Keys;
    private readonly SemaphoreSlim _replyLock = new(1, 1);

    public async Task PublishReplyAsync(
        TaskResult result, IReadOnlyBasicProperties request, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(result, WireJson.Options);
        if (request.ReplyTo is { Length: > 0 } replyTo)
        {
            var properties = new BasicProperties
            {
                ContentType = WireFormat.ContentType,
                CorrelationId = request.CorrelationId ?? result.ExecutionId,
                Type = WireFormat.TaskResultType,
            };
            await _replyLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await replyChannel.BasicPublishAsync(
                    string.Empty, replyTo, mandatory: false, properties, body, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _replyLock.Release();
            }

            return;
        }

        await redis.StringSetAsync(_keys.Result(result.ExecutionId), body, options.ResultTtl).ConfigureAwait(false);
    }

    public async Task RequeueForRetryAsync(
        TaskMessage retry, IReadOnlyBasicProperties request, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties(request) { ContentType = WireFormat.ContentType };
        var body = JsonSerializer.SerializeToUtf8Bytes(retry, WireJson.Options);
        await confirmChannel.BasicPublishAsync(
            string.Empty, QueueNames.TaskQueue(options.Environment), mandatory: false, properties, body,
            cancellationToken).ConfigureAwait(false);
    }

    public async Task SendToErrorQueueAsync(
        TaskResult result, IReadOnlyBasicProperties request, ReadOnlyMemory<byte> body,
        CancellationToken cancellationToken)
    {
        var properties = new BasicProperties(request);
        var headers = request.Headers is null
            ? new Dictionary<string, object?>()
            : new Dictionary<string, object?>(request.Headers);
        headers[MessageHeaders.ErrorReason] = result.Error?.Message;
        headers[MessageHeaders.ErrorType] = result.Error?.Type;
        headers[MessageHeaders.ReplicaId] = options.ReplicaId;
        headers[MessageHeaders.FailedAt] = timeProvider.GetUtcNow().ToString("O");
        properties.Headers = headers;
        await confirmChannel.BasicPublishAsync(
            string.Empty, QueueNames.ErrorQueue(options.Environment), mandatory: false, properties, body,
            cancellationToken).ConfigureAwait(false);
    }
}
