using System.Text.Json;
using RabbitMQ.Client;
using ReuseQueue.Contracts;
using StackExchange.Redis;

namespace ReuseQueue.Worker;

/// <summary>
/// Delivers what became of a task: the result to the caller's <c>reply_to</c> or to Redis, a retry back
/// to the task queue, a failure to the error queue. Retries and error-queue copies go through a
/// channel with publisher confirms, so the original is acknowledged only after the broker has stored the copy.
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

    /// <summary>
    /// The maximum length of an error reason put in a header, in characters. Headers must fit in one AMQP frame
    /// (128 KiB by default) and a larger one makes the broker close the connection.
    /// </summary>
    public const int MaxReasonHeaderLength = 4000;

    // RabbitMQ.Client 7 adds this header to messages published with confirmation tracking.
    private const string PublishSequenceHeader = "x-dotnet-pub-seq-no";

    private static string? Truncate(string? reason) =>
        reason is { Length: > MaxReasonHeaderLength } ? reason[..MaxReasonHeaderLength] + " [truncated]" : reason;

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

        await StoreWithRetriesAsync(result.ExecutionId, body, cancellationToken).ConfigureAwait(false);
    }

    // A short Redis outage should not run a finished task again, so storing is retried with
    // back-off (0.25 s doubling) until the caller's time limit. Only then is the task requeued.
    private async Task StoreWithRetriesAsync(string executionId, byte[] body, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await redis.StringSetAsync(_keys.Result(executionId), body, options.ResultTtl).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
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
        headers[MessageHeaders.ErrorReason] = Truncate(result.Error?.Message);
        headers[MessageHeaders.ErrorType] = result.Error?.Type;
        headers[MessageHeaders.ReplicaId] = options.ReplicaId;
        headers[MessageHeaders.FailedAt] = timeProvider.GetUtcNow().ToString("O");
        headers.Remove(PublishSequenceHeader);
        properties.Headers = headers;
        await confirmChannel.BasicPublishAsync(
            string.Empty, QueueNames.ErrorQueue(options.Environment), mandatory: false, properties, body,
            cancellationToken).ConfigureAwait(false);
    }
}
