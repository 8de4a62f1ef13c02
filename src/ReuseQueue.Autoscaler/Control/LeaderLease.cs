using StackExchange.Redis;

namespace ReuseQueue.Autoscaler.Control;

/// <summary>
/// A lease in Redis that lets one autoscaler act while others stand by. The holder renews it every
/// tick; when the holder dies the lease expires after <see cref="Duration"/> and a standby takes it.
/// </summary>
public sealed class LeaderLease(IConnectionMultiplexer redis, string key, string holderId, TimeSpan duration)
{
    private const string RenewScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return 0
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    public string HolderId { get; } = holderId;

    /// <summary>How long the lease lasts without renewal.</summary>
    public TimeSpan Duration { get; } = duration;

    /// <summary>
    /// Renews the lease when this instance holds it, or takes it when no instance holds it. Returns whether
    /// this instance holds it now. Throws when Redis cannot be reached.
    /// </summary>
    public async Task<bool> TryAcquireAsync()
    {
        var database = redis.GetDatabase();
        var renewed = (long)await database.ScriptEvaluateAsync(
            RenewScript, [key], [HolderId, (long)Duration.TotalMilliseconds]).ConfigureAwait(false);
        if (renewed == 1)
        {
            return true;
        }

        return await database.StringSetAsync(key, HolderId, Duration, When.NotExists).ConfigureAwait(false);
    }

    /// <summary>The id of the instance that holds the lease, or null.</summary>
    public async Task<string?> CurrentHolderAsync() => await redis.GetDatabase().StringGetAsync(key).ConfigureAwait(false);

    /// <summary>Gives the lease up so a standby can take over at once.</summary>
    public async Task ReleaseAsync() =>
        await redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [key], [HolderId]).ConfigureAwait(false);
}
