using Microsoft.Extensions.Logging;
using ReuseQueue.Core.Configuration;

namespace ReuseQueue.Autoscaler.Control;

/// <summary>
/// Keeps the autoscaler's config current: checks the file's modification time on each call and
/// reloads it when it changed. An invalid edit is reported and the last good config stays in force.
/// </summary>
public sealed class ConfigWatcher
{
    private readonly string _path;
    private readonly ILogger _logger;
    private DateTime _lastWriteUtc;
    private long _lastLength;

    public ConfigWatcher(string path, AutoscalerConfig initial, ILogger logger)
    {
        _path = path;
        _logger = logger;
        Current = initial;
        (_lastWriteUtc, _lastLength) = Stamp();
    }

    public AutoscalerConfig Current { get; private set; }

    /// <summary>Reloads the config when the file changed; returns true when a new config took effect.</summary>
    public bool Refresh()
    {
        var stamp = Stamp();
        if (stamp == (_lastWriteUtc, _lastLength))
        {
            return false;
        }

        (_lastWriteUtc, _lastLength) = stamp;
        try
        {
            var previous = Current;
            Current = ConfigLoader.Load(_path);
            AutoscalerLog.ConfigReloaded(_logger, _path, Current.Environments.Count);
            WarnAboutReplicaSettings(previous, Current);
            return true;
        }
        catch (ConfigException exception)
        {
            AutoscalerLog.ConfigReloadRejected(_logger, _path, exception.Message);
            return false;
        }
        catch (IOException exception)
        {
            AutoscalerLog.ConfigReloadRejected(_logger, _path, exception.Message);
            return false;
        }
    }

    // Concurrency, retries and the payload limit are passed to a replica when it starts, so running
    // replicas keep the old values until they are replaced.
    private void WarnAboutReplicaSettings(AutoscalerConfig previous, AutoscalerConfig current)
    {
        foreach (var environment in current.Environments)
        {
            var old = previous.Environments.FirstOrDefault(candidate => candidate.Name == environment.Name);
            if (old is not null && (old.Policy.Concurrency != environment.Policy.Concurrency
                                    || old.Policy.Retries != environment.Policy.Retries
                                    || old.Policy.MaxPayloadBytes != environment.Policy.MaxPayloadBytes
                                    || old.Command?.SequenceEqual(environment.Command ?? []) == false
                                    || old.Image != environment.Image))
            {
                AutoscalerLog.ReplicaSettingsChanged(_logger, environment.Name);
            }
        }
    }

    private (DateTime, long) Stamp()
    {
        var file = new FileInfo(_path);
        return file.Exists ? (file.LastWriteTimeUtc, file.Length) : (DateTime.MinValue, -1);
    }
}
