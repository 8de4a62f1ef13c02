namespace ReuseQueue.Worker;

/// <summary>Counters a replica reports in its heartbeat; safe to update from concurrent tasks.</summary>
public sealed class ReplicaStats
{
    private readonly TimeProvider _timeProvider;
    private readonly object _idleLock = new();
    private TaskCompletionSource _idle = NewIdleSignal(completed: true);
    private int _inFlight;
    private int _maxInFlight;
    private long _tasksDone;
    private long _lastTaskFinishedAtTicks;

    public ReplicaStats(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        StartedAt = timeProvider.GetUtcNow();
    }

    public DateTimeOffset StartedAt { get; }

    /// <summary>Raised when the last running task finishes.</summary>
    public event Action? BecameIdle;

    /// <summary>Tasks running now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most tasks this replica has run at once since it started.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public long TasksDone => Interlocked.Read(ref _tasksDone);

    public DateTimeOffset? LastTaskFinishedAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastTaskFinishedAtTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    internal void TaskStarted()
    {
        lock (_idleLock)
        {
            if (++_inFlight == 1)
            {
                _idle = NewIdleSignal(completed: false);
            }

            _maxInFlight = Math.Max(_maxInFlight, _inFlight);
        }
    }

    internal void TaskFinished()
    {
        Interlocked.Exchange(ref _lastTaskFinishedAtTicks, _timeProvider.GetUtcNow().UtcTicks);
        Interlocked.Increment(ref _tasksDone);
        lock (_idleLock)
        {
            if (--_inFlight == 0)
            {
                _idle.TrySetResult();
                BecameIdle?.Invoke();
            }
        }
    }

    /// <summary>Completes when no task is running.</summary>
    internal Task WaitUntilIdleAsync(CancellationToken cancellationToken)
    {
        lock (_idleLock)
        {
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    private static TaskCompletionSource NewIdleSignal(bool completed)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            signal.SetResult();
        }

        return signal;
    }
}
