using System.Collections.Concurrent;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using ReuseQueue.Client;

namespace ReuseQueue.Bench.Baselines;

/// <summary>
/// The client side of the raw AMQP RPC baseline: publishes a small persistent JSON message with reply_to set to
/// direct reply-to and waits for the reply with the same correlation id, as <c>ReuseQueueClient.RunAsync</c> does.
/// </summary>
public sealed class RawRpcClient : IAsyncDisposable
{
    private const string DirectReplyTo = "amq.rabbitmq.reply-to";
    private static readonly byte[] RequestBody = Encoding.UTF8.GetBytes("{\"task\":\"echo\",\"input\":{\"value\":1}}");

    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly SemaphoreSlim _publishLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _pending = new();
    private long _nextId;

    private RawRpcClient(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<RawRpcClient> ConnectAsync(ConnectionOptions options)
    {
        var connection = await BrokerConnector.ConnectAsync(options, "bench-raw-client", CancellationToken.None);
        var channel = await connection.CreateChannelAsync();
        var client = new RawRpcClient(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            if (delivery.BasicProperties.CorrelationId is { } id && client._pending.TryRemove(id, out var completion))
            {
                completion.TrySetResult();
            }

            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(DirectReplyTo, autoAck: true, consumer);
        return client;
    }

    /// <summary>Sends one request to <paramref name="queue"/> and waits for its reply; <paramref name="sleep"/> makes the server wait 1 ms.</summary>
    public async Task CallAsync(string queue, bool sleep)
    {
        var correlationId = Interlocked.Increment(ref _nextId).ToString();
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[correlationId] = completion;
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            CorrelationId = correlationId,
            ReplyTo = DirectReplyTo,
            DeliveryMode = DeliveryModes.Persistent,
            Type = sleep ? RawRpcServer.SleepType : null,
        };
        await _publishLock.WaitAsync();
        try
        {
            await _channel.BasicPublishAsync(string.Empty, queue, mandatory: false, properties, RequestBody);
        }
        finally
        {
            _publishLock.Release();
        }

        await completion.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
        _publishLock.Dispose();
    }
}
