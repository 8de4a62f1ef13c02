using System.Text.Json;
using ReuseQueue.Contracts;
using StackExchange.Redis;

namespace ReuseQueue.Autoscaler.Observation;

/// <summary>
/// Reads the heartbeats of all watched environments with one server-side script, so a tick costs a
/// single Redis round trip however many environments and replicas there are.
/// </summary>
public sealed class HeartbeatObserver(IConnectionMultiplexer redis, RedisKeys keys)
{
    // For each environment's replica index (KEYS[i]) returns a flat list of id, heartbeat JSON pairs,
    // with false (nil) for an id whose heartbeat key expired. MGET runs in chunks to stay within
    // Lua's limit on unpacked arguments.
    private const string ReadScript = """
        local result = {}
        for i, indexKey in ipairs(KEYS) do
          local ids = redis.call('SMEMBERS', indexKey)
          local entry = {}
          for start = 1, #ids, 500 do
            local chunk = {}
            for j = start, math.min(start + 499, #ids) do
              chunk[#chunk + 1] = ARGV[1] .. ARGV[i + 1] .. ':' .. ids[j]
            end
            local values = redis.call('MGET', unpack(chunk))
            for j = 1, #chunk do
              entry[#entry + 1] = ids[start + j - 1]
              entry[#entry + 1] = values[j]
            end
          end
          result[i] = entry
        end
        return result
        """;

    private long _roundTrips;

    /// <summary>Number of Redis round trips made so far, for the benchmark of large fleets.</summary>
    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    public async Task<HeartbeatSnapshot> ReadAsync(IReadOnlyList<string> environments, CancellationToken cancellationToken)
    {
        if (environments.Count == 0)
        {
            return new HeartbeatSnapshot { IsReadable = true };
        }

        RedisResult raw;
        try
        {
            var indexKeys = environments.Select(name => (RedisKey)keys.Replicas(name)).ToArray();
            var arguments = new RedisValue[environments.Count + 1];
            arguments[0] = keys.Prefix + "hb:";
            for (var i = 0; i < environments.Count; i++)
            {
                arguments[i + 1] = environments[i];
            }

            Interlocked.Increment(ref _roundTrips);
            raw = await redis.GetDatabase().ScriptEvaluateAsync(ReadScript, indexKeys, arguments)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return HeartbeatSnapshot.Unreadable(exception.Message);
        }

        return Parse(environments, (RedisResult[])raw!);
    }

    private static HeartbeatSnapshot Parse(IReadOnlyList<string> environments, RedisResult[] perEnvironment)
    {
        var heartbeats = new Dictionary<string, IReadOnlyDictionary<string, ReplicaHeartbeat>>(StringComparer.Ordinal);
        var expired = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        for (var i = 0; i < environments.Count; i++)
        {
            var pairs = (RedisResult[])perEnvironment[i]!;
            var byReplica = new Dictionary<string, ReplicaHeartbeat>(StringComparer.Ordinal);
            var gone = new List<string>();
            for (var j = 0; j + 1 < pairs.Length; j += 2)
            {
                var id = (string)pairs[j]!;
                if (pairs[j + 1].IsNull)
                {
                    gone.Add(id);
                    continue;
                }

                var heartbeat = TryRead((byte[])pairs[j + 1]!);
                if (heartbeat is not null)
                {
                    byReplica[id] = heartbeat;
                }
            }

            heartbeats[environments[i]] = byReplica;
            expired[environments[i]] = gone;
        }

        return new HeartbeatSnapshot { IsReadable = true, Environments = heartbeats, Expired = expired };
    }

    // A heartbeat written by an incompatible replica version is ignored rather than failing the whole tick.
    private static ReplicaHeartbeat? TryRead(byte[] json)
    {
        try
        {
            return JsonSerializer.Deserialize<ReplicaHeartbeat>(json, WireJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Removes ids of expired heartbeats from an environment's replica index.</summary>
    public async Task ForgetAsync(string environment, IEnumerable<string> replicaIds)
    {
        var ids = replicaIds.Select(id => (RedisValue)id).ToArray();
        if (ids.Length > 0)
        {
            await redis.GetDatabase().SetRemoveAsync(keys.Replicas(environment), ids).ConfigureAwait(false);
        }
    }
}
