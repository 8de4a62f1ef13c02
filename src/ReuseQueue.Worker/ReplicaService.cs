using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using ReuseQueue.Client;
using ReuseQueue.Contracts;
using StackExchange.Redis;

namespace ReuseQueue.Worker;

/// <summary>
/// One worker replica's life: connect, consume with prefetch and dispatch concurrency equal to the
/// environment's concurrency, beat, and on stop drain: take no new task, finish the running ones
/// within the grace period, remove the heartbeat.
/// </summary>
public sealed class ReplicaService(
    TaskHandlerRegistry registry,
    ReplicaOptions options,
    ReplicaStats stats,
    TimeProvider timeProvider,
    ILogger<ReplicaService> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _handlerCancellation = new();
    private readonly CancellationTokenSource _heartbeatCancellation = new();
    private IConnection? _connection;
    private IChannel? _consumeChannel;
    private IChannel? _confirmChannel;
    private ConnectionMultiplexer? _redis;
    private ReuseQueueClient? _client;
    private HeartbeatWriter? _heartbeat;
    private Task? _heartbeatLoop;
    private string? _consumerTag;
    private TaskConsumer? _consumer;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var clientName = $"reuseq-replica:{options.Environment}:{options.ReplicaId}";
        _redis = await RedisConnector.ConnectAsync(options.Connection, clientName).ConfigureAwait(false);
        _connection = await BrokerConnector.ConnectAsync(options.Connection, clientName, cancellationToken)
            .ConfigureAwait(false);
        _client = await ReuseQueueClient.ConnectAsync(options.Connection, clientName + ":client", timeProvider, cancellationToken)
            .ConfigureAwait(false);

        _consumeChannel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(
                publisherConfirmationsEnabled: false,
                publisherConfirmationTrackingEnabled: false,
                consumerDispatchConcurrency: (ushort)options.Concurrency),
            cancellationToken).ConfigureAwait(false);
        _confirmChannel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken).ConfigureAwait(false);
        await TaskQueueTopology.DeclareTaskQueueAsync(_consumeChannel, options.Environment, cancellationToken).ConfigureAwait(false);
        await TaskQueueTopology.DeclareErrorQueueAsync(_consumeChannel, options.Environment, cancellationToken).ConfigureAwait(false);
        await _consumeChannel.BasicQosAsync(0, (ushort)options.Concurrency, global: false, cancellationToken).ConfigureAwait(false);

        var database = _redis.GetDatabase();
        _heartbeat = new HeartbeatWriter(database, options, stats, timeProvider, logger);
        await _heartbeat.BeatAsync().ConfigureAwait(false);
        _heartbeatLoop = _heartbeat.RunAsync(_heartbeatCancellation.Token);

        var executor = new TaskExecutor(registry, options, () => _client, timeProvider, logger);
        var publisher = new ResultPublisher(_consumeChannel, _confirmChannel, database, options, timeProvider);
        _consumer = new TaskConsumer(
            _consumeChannel, executor, publisher, stats, options, logger, _handlerCancellation.Token);
        var queue = QueueNames.TaskQueue(options.Environment);
        _consumerTag = await _consumeChannel.BasicConsumeAsync(
            queue, autoAck: false, consumerTag: string.Empty, noLocal: false, exclusive: false,
            arguments: new Dictionary<string, object?> { ["x-priority"] = options.Priority },
            _consumer, cancellationToken).ConfigureAwait(false);

        Log.ReplicaStarted(logger, options.ReplicaId, options.Environment, queue, options.Concurrency,
            options.Priority, string.Join(", ", registry.Names));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_consumeChannel is null || _heartbeat is null)
        {
            return;
        }

        _heartbeat.State = ReplicaState.Draining;
        await _heartbeat.BeatAsync().ConfigureAwait(false);
        if (_consumerTag is not null && _consumer is not null)
        {
            await _consumer.CancelAsync(_consumerTag).ConfigureAwait(false);
        }

        Log.Draining(logger, options.GracePeriod.TotalSeconds, stats.InFlight);
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(options.GracePeriod);
        try
        {
            await stats.WaitUntilIdleAsync(grace.Token).ConfigureAwait(false);
            Log.Drained(logger, stats.TasksDone);
        }
        catch (OperationCanceledException)
        {
            Log.GracePeriodExpired(logger, stats.InFlight);
            await _handlerCancellation.CancelAsync().ConfigureAwait(false);
        }

        // Closing the channels returns anything still unacknowledged to the queue.
        await _consumeChannel.CloseAsync(CancellationToken.None).ConfigureAwait(false);
        await _heartbeatCancellation.CancelAsync().ConfigureAwait(false);
        if (_heartbeatLoop is not null)
        {
            await _heartbeatLoop.ConfigureAwait(false);
        }

        await _heartbeat.RemoveAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }

        if (_confirmChannel is not null)
        {
            await _confirmChannel.DisposeAsync().ConfigureAwait(false);
        }

        if (_consumeChannel is not null)
        {
            await _consumeChannel.DisposeAsync().ConfigureAwait(false);
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync().ConfigureAwait(false);
        }

        _handlerCancellation.Dispose();
        _heartbeatCancellation.Dispose();
    }
}
