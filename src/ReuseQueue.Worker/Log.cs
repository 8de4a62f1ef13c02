using Microsoft.Extensions.Logging;

namespace ReuseQueue.Worker;

/// <summary>The worker runtime's log messages. Event ids 1000-1099.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information,
        "Replica {ReplicaId} of environment {Environment} consuming {Queue} with concurrency {Concurrency} and priority {Priority}; tasks: {Tasks}")]
    public static partial void ReplicaStarted(
        ILogger logger, string replicaId, string environment, string queue, int concurrency, int priority, string tasks);

    [LoggerMessage(1001, LogLevel.Information,
        "Draining: no new tasks; waiting up to {GracePeriodSeconds} s for {InFlight} running task(s)")]
    public static partial void Draining(ILogger logger, double gracePeriodSeconds, int inFlight);

    [LoggerMessage(1002, LogLevel.Information, "Drained: all tasks finished; {TasksDone} task(s) run in total")]
    public static partial void Drained(ILogger logger, long tasksDone);

    [LoggerMessage(1003, LogLevel.Warning,
        "Grace period over with {InFlight} task(s) still running; they stay unacknowledged and RabbitMQ redelivers them")]
    public static partial void GracePeriodExpired(ILogger logger, int inFlight);

    [LoggerMessage(1010, LogLevel.Warning, "Task {ExecutionId} rejected: {ErrorType}: {Reason}")]
    public static partial void TaskRejected(ILogger logger, string executionId, string errorType, string reason);

    [LoggerMessage(1011, LogLevel.Warning,
        "Task {Task} ({ExecutionId}) failed; retrying, attempt {NextAttempt} of {Retries} retries")]
    public static partial void TaskRetrying(
        ILogger logger, Exception exception, string task, string executionId, int nextAttempt, int retries);

    [LoggerMessage(1012, LogLevel.Error,
        "Task {Task} ({ExecutionId}) failed after {Attempts} attempt(s); the caller gets the error and the message goes to the error queue")]
    public static partial void TaskFailed(ILogger logger, Exception exception, string task, string executionId, int attempts);

    [LoggerMessage(1016, LogLevel.Warning,
        "Task {Task} ({ExecutionId}) was cancelled at the end of the grace period; it stays unacknowledged and RabbitMQ redelivers it")]
    public static partial void TaskAbandoned(ILogger logger, string task, string executionId);

    [LoggerMessage(1013, LogLevel.Error,
        "The result of task {ExecutionId} could not be delivered; the message is returned to the queue and the task will run again")]
    public static partial void ResultDeliveryFailed(ILogger logger, Exception exception, string executionId);

    [LoggerMessage(1014, LogLevel.Warning,
        "Delivery {DeliveryTag} could not be settled because the channel closed ({Reason}); the broker redelivers it")]
    public static partial void AcknowledgementLost(ILogger logger, ulong deliveryTag, string reason);

    [LoggerMessage(1015, LogLevel.Warning, "The broker cancelled consumer {ConsumerTag} (queue deleted, or a delivery outlived the consumer timeout); opening a new channel and consumer")]
    public static partial void ConsumerCancelled(ILogger logger, string consumerTag);

    [LoggerMessage(1017, LogLevel.Warning,
        "The broker closed the consuming channel ({ReplyCode} {ReplyText}); its unacknowledged deliveries go back to the queue. Opening a new channel")]
    public static partial void ConsumeChannelClosed(ILogger logger, ushort replyCode, string replyText);

    [LoggerMessage(1018, LogLevel.Information, "Consuming again on a new channel")]
    public static partial void ConsumeChannelReopened(ILogger logger);

    [LoggerMessage(1019, LogLevel.Warning, "Opening a new consuming channel failed; retrying in {DelaySeconds} s")]
    public static partial void ConsumeChannelReopenFailed(ILogger logger, Exception exception, double delaySeconds);

    [LoggerMessage(1020, LogLevel.Warning,
        "Heartbeat could not be written to Redis; the autoscaler holds its decisions while Redis is unreachable. Retrying every beat")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception);

    [LoggerMessage(1021, LogLevel.Information, "Heartbeat written to Redis again")]
    public static partial void HeartbeatRestored(ILogger logger);

    [LoggerMessage(1022, LogLevel.Warning, "Heartbeat could not be removed from Redis; it expires by itself")]
    public static partial void HeartbeatRemovalFailed(ILogger logger, Exception exception);
}
