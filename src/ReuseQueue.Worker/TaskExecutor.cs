using Microsoft.Extensions.Logging;
using ReuseQueue.Client;
using ReuseQueue.Contracts;


namespace ReuseQueue.Worker;

/// <summary>
/// Runs one parsed task through its handler and turns every way it can end into a
/// <see cref="TaskOutcome"/>. It never throws for a task's own failure.
/// </summary>
internal sealed class TaskExecutor(
    TaskHandlerRegistry registry,
    ReplicaOptions options,
    Func<ReuseQueueClient> client,
    TimeProvider timeProvider,
    ILogger logger)
{
    public async Task<TaskOutcome> ExecuteAsync(ParsedTask parsed, CancellationToken cancellationToken)
    {
        var startedAt = timeProvider.GetUtcNow();
        if (parsed.Message is not { } message)
        {
            Log.TaskRejected(logger, parsed.ExecutionId, parsed.Error!.Type, parsed.Error.Message);
            return Fail(parsed.ExecutionId, null, attempt: 0, parsed.Error!, startedAt);
        }

        if (message.Deadline is { } deadline && deadline < startedAt)
        {
            var error = new TaskError(TaskErrorTypes.DeadlineExceeded,
                $"The task's deadline {deadline:O} passed before a replica could start it; the caller has given up. " +
                "Raise the caller's timeout or add replicas.");
            Log.TaskRejected(logger, message.ExecutionId, error.Type, error.Message);
            return Fail(message.ExecutionId, message.Task, message.Attempt, error, startedAt);
        }

        if (!registry.TryGet(message.Task, out var handler))
        {
            var known = registry.Names.Count == 0 ? "(none)" : string.Join(", ", registry.Names);
            var error = new TaskError(TaskErrorTypes.UnknownTask,
                $"Environment '{options.Environment}' has no task named '{message.Task}'. Known tasks: {known}.");
            Log.TaskRejected(logger, message.ExecutionId, error.Type, error.Message);
            return Fail(message.ExecutionId, message.Task, message.Attempt, error, startedAt);
        }

        return await RunHandlerAsync(handler, message, startedAt, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TaskOutcome> RunHandlerAsync(
        ITaskHandler handler, TaskMessage message, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var context = new TaskContext(message.ExecutionId, message.Task, message.Attempt, options, client());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.TaskTimeout is { } limit)
        {
            timeout.CancelAfter(limit);
        }

        try
        {
            var output = await handler.InvokeAsync(message.Input, context, timeout.Token).ConfigureAwait(false);
            return new TaskOutcome(
                Result(message.ExecutionId, message.Task, message.Attempt, startedAt) with
                {
                    Status = ExecutionStatus.Succeeded,
                    Output = output,
                },
                Retry: null);
        }
        catch (InvalidTaskInputException exception)
        {
            var error = new TaskError(TaskErrorTypes.InvalidInput, exception.Message);
            Log.TaskRejected(logger, message.ExecutionId, error.Type, error.Message);
            return Fail(message.ExecutionId, message.Task, message.Attempt, error, startedAt);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var error = new TaskError(TaskErrorTypes.TaskTimedOut,
                $"Task '{message.Task}' ran longer than its task_timeout of {options.TaskTimeout!.Value.TotalSeconds:0.###} s and was cancelled.");
            Log.TaskRejected(logger, message.ExecutionId, error.Type, error.Message);
            return Fail(message.ExecutionId, message.Task, message.Attempt, error, startedAt);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.TaskAbandoned(logger, message.Task, message.ExecutionId);
            return Fail(message.ExecutionId, message.Task, message.Attempt,
                new TaskError("Abandoned", "the replica stopped before the task finished"), startedAt) with { Abandoned = true };
        }
        catch (Exception exception)
        {
            if (message.Attempt < options.Retries)
            {
                Log.TaskRetrying(logger, exception, message.Task, message.ExecutionId, message.Attempt + 1, options.Retries);
                var failed = Fail(message.ExecutionId, message.Task, message.Attempt, ToError(exception), startedAt);
                return failed with { Retry = message with { Attempt = message.Attempt + 1 } };
            }

            Log.TaskFailed(logger, exception, message.Task, message.ExecutionId, message.Attempt + 1);
            return Fail(message.ExecutionId, message.Task, message.Attempt, ToError(exception), startedAt);
        }
    }

    private static TaskError ToError(Exception exception) =>
        new(exception.GetType().FullName ?? exception.GetType().Name, exception.Message);

    private TaskOutcome Fail(string executionId, string? task, int attempt, TaskError error, DateTimeOffset startedAt) =>
        new(Result(executionId, task, attempt, startedAt) with { Status = ExecutionStatus.Failed, Error = error }, Retry: null);

    private TaskResult Result(string executionId, string? task, int attempt, DateTimeOffset startedAt) => new()
    {
        ExecutionId = executionId,
        Task = task,
        Status = ExecutionStatus.Failed,
        Environment = options.Environment,
        ReplicaId = options.ReplicaId,
        Attempts = attempt + 1,
        StartedAt = startedAt,
        FinishedAt = timeProvider.GetUtcNow(),
    };
}
