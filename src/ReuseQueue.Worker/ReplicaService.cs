using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
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
    private IChannel? _replyChannel;
    private TaskExecutor? _executor;
    private ResultPublisher? _publisher;
    private volatile bool _stopping;
    private int _reopening;

    // Opens the consuming channel and registers the consumer. Results go out on that channel while
    // it is open and on a channel of their own after the broker closed it, so a task still running
    // then can deliver its result.
    private async Task OpenConsumerAsync(CancellationToken cancellationToken)
    {
        var channel = await _connection!.CreateChannelAsync(
            new CreateChannelOptions(
                publisherConfirmationsEnabled: false,
                publisherConfirmationTrackingEnabled: false,
                consumerDispatchConcurrency: (ushort)options.Concurrency),
            cancellationToken).ConfigureAwait(false);
        await TaskQueueTopology.DeclareTaskQueueAsync(channel, options.Environment, cancellationToken).ConfigureAwait(false);
        await TaskQueueTopology.DeclareErrorQueueAsync(channel, options.Environment, cancellationToken).ConfigureAwait(false);
        await channel.BasicQosAsync(0, (ushort)options.Concurrency, global: false, cancellationToken).ConfigureAwait(false);

        var consumer = new TaskConsumer(
            channel, _executor!, _publisher!, stats, options, logger, _handlerCancellation.Token,
            onBrokerCancel: () => RequestReopen(channel));
        _consumerTag = await channel.BasicConsumeAsync(
            QueueNames.TaskQueue(options.Environment), autoAck: false, consumerTag: string.Empty, noLocal: false,
            exclusive: false, arguments: new Dictionary<string, object?> { ["x-priority"] = options.Priority },
            consumer, cancellationToken).ConfigureAwait(false);
        channel.ChannelShutdownAsync += (_, reason) => OnConsumeChannelShutdownAsync(channel, reason);
        _consumeChannel = channel;
        _consumer = consumer;
    }

    // Automatic recovery reopens channels only after a lost connection. When the broker closes just
    // this channel (for example when a delivery stays unacknowledged past its consumer timeout, and
    // the broker requeues every delivery of the channel), the replica opens a new one itself.
    private Task OnConsumeChannelShutdownAsync(IChannel channel, ShutdownEventArgs reason)
    {
        // A channel closed together with its connection is reopened by the client's automatic recovery.
        if (reason.Initiator != ShutdownInitiator.Peer || _connection is not { IsOpen: true })
        {
            return Task.CompletedTask;
        }

        Log.ConsumeChannelClosed(logger, reason.ReplyCode, reason.ReplyText);
        RequestReopen(channel);
        return Task.CompletedTask;
    }

    // A broker's cancel of the consumer and a broker's close of the channel both lead here, often one
    // after the other. Only the first one for the current channel opens a new one.
    private void RequestReopen(IChannel closedChannel)
    {
        if (_stopping || !ReferenceEquals(closedChannel, _consumeChannel)
            || Interlocked.CompareExchange(ref _reopening, 1, 0) != 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await ReopenConsumerAsync().ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Exchange(ref _reopening, 0);
            }
        });
    }

    private async Task ReopenConsumerAsync()
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!_stopping)
        {
            try
            {
                await OpenConsumerAsync(CancellationToken.None).ConfigureAwait(false);
                Log.ConsumeChannelReopened(logger);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Log.ConsumeChannelReopenFailed(logger, exception, delay.TotalSeconds);
                await Task.Delay(delay, timeProvider).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var clientName = $"reuseq-replica:{options.Environment}:{options.ReplicaId}";
        _redis = await RedisConnector.ConnectAsync(options.Connection, clientName).ConfigureAwait(false);
        _connection = await BrokerConnector.ConnectAsync(options.Connection, clientName, cancellationToken)
            .ConfigureAwait(false);
        _client = await ReuseQueueClient.ConnectAsync(options.Connection, clientName + ":client", timeProvider, cancellationToken)
            .ConfigureAwait(false);

        _replyChannel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        _confirmChannel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken).ConfigureAwait(false);

        var database = _redis.GetDatabase();
        _heartbeat = new HeartbeatWriter(database, options, stats, timeProvider, logger);
        await _heartbeat.BeatAsync().ConfigureAwait(false);
        stats.BecameIdle += _heartbeat.BeatNow;
        _heartbeatLoop = _heartbeat.RunAsync(_heartbeatCancellation.Token);

        _executor = new TaskExecutor(registry, options, () => _client, timeProvider, logger);
        _publisher = new ResultPublisher(_replyChannel, _confirmChannel, database, options, timeProvider);
        await OpenConsumerAsync(cancellationToken).ConfigureAwait(false);
        var queue = QueueNames.TaskQueue(options.Environment);
        Log.ReplicaStarted(logger, options.ReplicaId, options.Environment, queue, options.Concurrency,
            options.Priority, string.Join(", ", registry.Names));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_consumeChannel is null || _heartbeat is null)
        {
            return;
        }

        _stopping = true;
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
        if (_consumeChannel.IsOpen)
        {
            await _consumeChannel.CloseAsync(CancellationToken.None).ConfigureAwait(false);
        }
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

        if (_replyChannel is not null)
        {
            await _replyChannel.DisposeAsync().ConfigureAwait(false);
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
