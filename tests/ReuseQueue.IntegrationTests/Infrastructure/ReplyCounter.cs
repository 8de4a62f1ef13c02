using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using ReuseQueue.Client;
using ReuseQueue.Contracts;

namespace ReuseQueue.IntegrationTests.Infrastructure;

/// <summary>
/// Publishes tasks with plain AMQP and counts every reply per execution id, so a test can prove
/// that each call got exactly one result, not merely at least one.
/// </summary>
public sealed class ReplyCounter : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentDictionary<string, int> _replies = new();
    private readonly ConcurrentDictionary<string, TaskResult> _results = new();

    private ReplyCounter(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<ReplyCounter> ConnectAsync(ConnectionOptions options)
    {
        var connection = await BrokerConnector.ConnectAsync(options, "test-reply-counter", CancellationToken.None);
        var channel = await connection.CreateChannelAsync();
        var counter = new ReplyCounter(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var id = delivery.BasicProperties.CorrelationId ?? "(none)";
            counter._replies.AddOrUpdate(id, 1, (_, count) => count + 1);
            counter._results[id] = JsonSerializer.Deserialize<TaskResult>(delivery.Body.Span, WireJson.Options)!;
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync("amq.rabbitmq.reply-to", autoAck: true, consumer);
        return counter;
    }

    /// <summary>Replies received per execution id.</summary>
    public IReadOnlyDictionary<string, int> Replies => _replies;

    public IReadOnlyDictionary<string, TaskResult> Results => _results;

    public async Task<string> PublishAsync(string environment, string task, string inputJson)
    {
        var executionId = Guid.NewGuid().ToString("N");
        var properties = new BasicProperties
        {
            ContentType = WireFormat.ContentType,
            CorrelationId = executionId,
            ReplyTo = "amq.rabbitmq.reply-to",
            DeliveryMode = DeliveryModes.Persistent,
        };
        await TaskQueueTopology.DeclareTaskQueueAsync(_channel, environment, CancellationToken.None);
        var body = Encoding.UTF8.GetBytes($"{{\"task\":\"{task}\",\"executionId\":\"{executionId}\",\"input\":{inputJson}}}");
        await _channel.BasicPublishAsync(string.Empty, QueueNames.TaskQueue(environment), mandatory: false, properties, body);
        return executionId;
    }

    /// <summary>
    /// Publishes <paramref name="body"/> unchanged with <paramref name="correlationId"/> and, when
    /// <paramref name="withReplyTo"/> is set, the direct reply-to address; without it the replica stores the result in Redis.
    /// </summary>
    public async Task PublishRawAsync(
        string environment, string correlationId, byte[] body, string? contentType, bool withReplyTo = true)
    {
        var properties = new BasicProperties
        {
            ContentType = contentType,
            CorrelationId = correlationId,
            ReplyTo = withReplyTo ? "amq.rabbitmq.reply-to" : null,
            DeliveryMode = DeliveryModes.Persistent,
        };
        await TaskQueueTopology.DeclareTaskQueueAsync(_channel, environment, CancellationToken.None);
        await _channel.BasicPublishAsync(string.Empty, QueueNames.TaskQueue(environment), mandatory: false, properties, body);
    }

    /// <summary>Publishes <paramref name="body"/> unchanged, the way a foreign or broken publisher would, and waits for its reply.</summary>
    public async Task<TaskResult> CallRawAsync(
        string environment, byte[] body, string? contentType = WireFormat.ContentType, TimeSpan? timeout = null)
    {
        var correlationId = Guid.NewGuid().ToString("N");
        await PublishRawAsync(environment, correlationId, body, contentType);
        await WaitFor.ConditionAsync(() => _results.ContainsKey(correlationId), timeout ?? TimeSpan.FromSeconds(30),
            $"the reply to {correlationId}");
        return _results[correlationId];
    }

    public async Task WaitForAsync(int distinctReplies, TimeSpan timeout)
    {
        var giveUpAt = DateTime.UtcNow + timeout;
        while (_replies.Count < distinctReplies)
        {
            if (DateTime.UtcNow > giveUpAt)
            {
                throw new TimeoutException($"{_replies.Count} of {distinctReplies} replies arrived within {timeout}.");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
