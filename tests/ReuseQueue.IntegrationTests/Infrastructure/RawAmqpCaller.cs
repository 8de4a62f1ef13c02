using System.Collections.Concurrent;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using ReuseQueue.Client;
using ReuseQueue.Contracts;

namespace ReuseQueue.IntegrationTests.Infrastructure;

/// <summary>
/// Publishes arbitrary bytes to a task queue with plain AMQP, the way a foreign service or a broken
/// one would, and waits for the replica's reply on direct reply-to.
/// </summary>
public sealed class RawAmqpCaller : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<TaskResult>> _pending = new();

    private RawAmqpCaller(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<RawAmqpCaller> ConnectAsync(ConnectionOptions options)
    {
        var connection = await BrokerConnector.ConnectAsync(options, "test-raw-caller", CancellationToken.None);
        var channel = await connection.CreateChannelAsync();
        var caller = new RawAmqpCaller(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            if (delivery.BasicProperties.CorrelationId is { } id && caller._pending.TryRemove(id, out var completion))
            {
                completion.TrySetResult(JsonSerializer.Deserialize<TaskResult>(delivery.Body.Span, WireJson.Options)!);
            }

            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync("amq.rabbitmq.reply-to", autoAck: true, consumer);
        return caller;
    }

    public async Task<TaskResult> CallAsync(
        string environment, byte[] body, string? contentType = WireFormat.ContentType, TimeSpan? timeout = null)
    {
        var correlationId = Guid.NewGuid().ToString("N");
        var completion = new TaskCompletionSource<TaskResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[correlationId] = completion;
        var properties = new BasicProperties
        {
            ContentType = contentType,
            CorrelationId = correlationId,
            ReplyTo = "amq.rabbitmq.reply-to",
            DeliveryMode = DeliveryModes.Persistent,
        };
        await _channel.BasicPublishAsync(string.Empty, QueueNames.TaskQueue(environment), mandatory: false, properties, body);
        return await completion.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
