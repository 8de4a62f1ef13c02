using System.Collections.Concurrent;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using ReuseQueue.Contracts;
using StackExchange.Redis;

namespace ReuseQueue.Client;

/// <summary>
/// Publishes tasks to environments and returns their results. Calls made with <c>RunAsync</c> get
/// their result over RabbitMQ direct reply-to; tasks sent with <c>SubmitAsync</c> leave it in Redis
/// under the execution id. One instance is safe to share between threads; keep it for the process lifetime.
/// </summary>
public sealed class ReuseQueueClient : IAsyncDisposable
{
    private const string DirectReplyTo = "amq.rabbitmq.reply-to";

    private readonly ConnectionOptions _options;
    private readonly IConnection _connection;
    private readonly IChannel _rpcChannel;
    private readonly IChannel _submitChannel;
    private readonly SemaphoreSlim _rpcPublishLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<TaskResult>> _pending = new();
    private readonly ConcurrentDictionary<string, Task> _declaredQueues = new();
    private readonly Lazy<Task<ConnectionMultiplexer>> _redis;
    private readonly TimeProvider _timeProvider;

    private ReuseQueueClient(
        ConnectionOptions options, IConnection connection, IChannel rpcChannel, IChannel submitChannel,
        string clientName, TimeProvider timeProvider)
    {
        _options = options;
        _connection = connection;
        _rpcChannel = rpcChannel;
        _submitChannel = submitChannel;
        _timeProvider = timeProvider;
        _redis = new Lazy<Task<ConnectionMultiplexer>>(() => RedisConnector.ConnectAsync(options, clientName));
    }

    /// <summary>Connects to the broker. Redis is connected on the first call that needs it.</summary>
    public static async Task<ReuseQueueClient> ConnectAsync(
        ConnectionOptions options,
        string clientName = "reuseq-client",
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        var connection = await BrokerConnector.ConnectAsync(options, clientName, cancellationToken).ConfigureAwait(false);
        try
        {
            var rpcChannel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var submitChannel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                cancellationToken).ConfigureAwait(false);
            var client = new ReuseQueueClient(
                options, connection, rpcChannel, submitChannel, clientName, timeProvider ?? TimeProvider.System);

            var replyConsumer = new AsyncEventingBasicConsumer(rpcChannel);
            replyConsumer.ReceivedAsync += client.OnReplyAsync;
            await rpcChannel.BasicConsumeAsync(DirectReplyTo, autoAck: true, replyConsumer, cancellationToken)
                .ConfigureAwait(false);
            return client;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Number of calls waiting for their result.</summary>
    public int PendingCalls => _pending.Count;

    /// <summary>
    /// Runs <paramref name="task"/> in <paramref name="environment"/> and returns its typed output.
    /// </summary>
    /// <exception cref="TaskFailedException">The task failed or was rejected by the replica.</exception>
    /// <exception cref="TimeoutException">No result arrived within the timeout (default 5 minutes).</exception>
    public async Task<TOutput> RunAsync<TInput, TOutput>(
        string environment, string task, TInput input, RunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var inputElement = JsonSerializer.SerializeToElement(input, WireJson.Options);
        var result = await RunAsync(environment, task, inputElement, options, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new TaskFailedException(result);
        }

        return OutputReader.Read<TOutput>(result);
    }

    /// <summary>
    /// Runs <paramref name="task"/> with a JSON input and returns its result, failed or not.
    /// </summary>
    /// <exception cref="TimeoutException">No result arrived within the timeout (default 5 minutes).</exception>
    public async Task<TaskResult> RunAsync(
        string environment, string task, JsonElement input, RunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new RunOptions();
        var executionId = options.ExecutionId ?? NewExecutionId();
        var deadline = _timeProvider.GetUtcNow() + options.Timeout;
        var body = Serialize(task, executionId, input, deadline);
        await EnsureQueueAsync(environment, cancellationToken).ConfigureAwait(false);

        var completion = new TaskCompletionSource<TaskResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(executionId, completion))
        {
            throw new InvalidOperationException($"A call with execution id '{executionId}' is already waiting.");
        }

        try
        {
            var properties = CreateProperties(executionId);
            properties.ReplyTo = DirectReplyTo;
            await _rpcPublishLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _rpcChannel.BasicPublishAsync(
                    string.Empty, QueueNames.TaskQueue(environment), mandatory: false, properties, body,
                    cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _rpcPublishLock.Release();
            }

            return await completion.Task.WaitAsync(options.Timeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"Task '{task}' ({executionId}) in environment '{environment}' returned no result within " +
                $"{options.Timeout.TotalSeconds:0.###} s. Check that the environment has running replicas " +
                "(`reuseq status`) and that the task finishes within the timeout.");
        }
        finally
        {
            _pending.TryRemove(executionId, out _);
        }
    }

    /// <summary>
    /// Publishes <paramref name="task"/> with publisher confirmation and returns its execution id at once.
    /// The replica stores the result in Redis, where <see cref="FetchResultAsync"/> finds it.
    /// </summary>
    public async Task<string> SubmitAsync<TInput>(
        string environment, string task, TInput input, string? executionId = null,
        CancellationToken cancellationToken = default)
    {
        executionId ??= NewExecutionId();
        var inputElement = JsonSerializer.SerializeToElement(input, WireJson.Options);
        var body = Serialize(task, executionId, inputElement, deadline: null);
        await EnsureQueueAsync(environment, cancellationToken).ConfigureAwait(false);

        await _submitChannel.BasicPublishAsync(
            string.Empty, QueueNames.TaskQueue(environment), mandatory: false, CreateProperties(executionId), body,
            cancellationToken).ConfigureAwait(false);
        return executionId;
    }

    /// <summary>Returns a submitted task's result, or null while it has none (or after it expired).</summary>
    public async Task<TaskResult?> FetchResultAsync(string executionId, CancellationToken cancellationToken = default)
    {
        var redis = await _redis.Value.ConfigureAwait(false);
        var value = await redis.GetDatabase().StringGetAsync(_options.Keys.Result(executionId))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return value.IsNull ? null : JsonSerializer.Deserialize<TaskResult>((byte[])value!, WireJson.Options);
    }

    /// <summary>Polls Redis for a submitted task's result until it arrives or <paramref name="timeout"/> passes.</summary>
    /// <exception cref="TimeoutException">No result within <paramref name="timeout"/>.</exception>
    public async Task<TaskResult> WaitForResultAsync(
        string executionId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var giveUpAt = _timeProvider.GetUtcNow() + timeout;
        var pollInterval = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var result = await FetchResultAsync(executionId, cancellationToken).ConfigureAwait(false);
            if (result is not null)
            {
                return result;
            }

            if (_timeProvider.GetUtcNow() >= giveUpAt)
            {
                throw new TimeoutException(
                    $"No result for execution '{executionId}' within {timeout.TotalSeconds:0.###} s.");
            }

            await Task.Delay(pollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
            pollInterval = TimeSpan.FromMilliseconds(Math.Min(pollInterval.TotalMilliseconds * 2, 1000));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pending in _pending.Values)
        {
            pending.TrySetCanceled();
        }

        await _rpcChannel.DisposeAsync().ConfigureAwait(false);
        await _submitChannel.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        if (_redis.IsValueCreated && _redis.Value.IsCompletedSuccessfully)
        {
            await _redis.Value.Result.DisposeAsync().ConfigureAwait(false);
        }

        _rpcPublishLock.Dispose();
    }

    private Task OnReplyAsync(object sender, BasicDeliverEventArgs delivery)
    {
        var correlationId = delivery.BasicProperties.CorrelationId;
        if (correlationId is null || !_pending.TryGetValue(correlationId, out var completion))
        {
            // A reply for a call that already timed out or was cancelled: nobody waits for it.
            return Task.CompletedTask;
        }

        try
        {
            var result = JsonSerializer.Deserialize<TaskResult>(delivery.Body.Span, WireJson.Options)
                ?? throw new JsonException("the reply body is JSON null");
            completion.TrySetResult(result);
        }
        catch (JsonException exception)
        {
            completion.TrySetException(new InvalidDataException(
                $"The reply for execution '{correlationId}' is not a valid task result: {exception.Message}",
                exception));
        }

        return Task.CompletedTask;
    }

    private Task EnsureQueueAsync(string environment, CancellationToken cancellationToken)
    {
        EnvironmentName.Require(environment);
        var declaration = _declaredQueues.GetOrAdd(
            environment, name => DeclareOnSeparateChannelAsync(name, cancellationToken));
        if (declaration.IsFaulted || declaration.IsCanceled)
        {
            _declaredQueues.TryRemove(new KeyValuePair<string, Task>(environment, declaration));
        }

        return declaration;
    }

    // A failed declaration closes its channel, so it must not run on a channel that is reused.
    private async Task DeclareOnSeparateChannelAsync(string environment, CancellationToken cancellationToken)
    {
        await using var channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        await TaskQueueTopology.DeclareTaskQueueAsync(channel, environment, cancellationToken).ConfigureAwait(false);
    }

    private static BasicProperties CreateProperties(string executionId) => new()
    {
        ContentType = WireFormat.ContentType,
        DeliveryMode = DeliveryModes.Persistent,
        CorrelationId = executionId,
        MessageId = executionId,
        Type = WireFormat.TaskMessageType,
    };

    private static byte[] Serialize(string task, string executionId, JsonElement input, DateTimeOffset? deadline) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new TaskMessage { Task = task, ExecutionId = executionId, Input = input, Deadline = deadline },
            WireJson.Options);

    private static string NewExecutionId() => Guid.CreateVersion7().ToString("N");
}
