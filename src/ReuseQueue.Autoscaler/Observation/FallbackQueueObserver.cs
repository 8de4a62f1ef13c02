using Microsoft.Extensions.Logging;
using ReuseQueue.Core.Scaling;

namespace ReuseQueue.Autoscaler.Observation;

/// <summary>
/// Observes queues through the management API and falls back to AMQP passive declares while the API
/// is unreachable, saying so once when it switches and once when the API is back.
/// </summary>
public sealed class FallbackQueueObserver(
    ManagementApiQueueObserver primary, IQueueObserver fallback, ILogger logger) : IQueueObserver
{
    private bool _usingFallback;

    /// <summary>
    /// Fleets up to this many environments also get their ready counts from AMQP passive declares,
    /// which are current, while the management API's lag by up to the broker's statistics interval.
    /// </summary>
    // NOTE: a passive declare is one AMQP round trip per environment, so larger fleets use the
    // management API's counts alone and see new demand up to one statistics interval late.
    public const int FreshReadyCountLimit = 50;

    /// <summary>True while the management API is unreachable and only ready counts are known.</summary>
    public bool UsingFallback => _usingFallback;

    private async Task<IReadOnlyDictionary<string, QueueObservation>> WithFreshReadyCountsAsync(
        IReadOnlyList<string> environments, IReadOnlyDictionary<string, QueueObservation> observations,
        CancellationToken cancellationToken)
    {
        if (environments.Count > FreshReadyCountLimit)
        {
            return observations;
        }

        IReadOnlyDictionary<string, QueueObservation> fresh;
        try
        {
            fresh = await fallback.ObserveAsync(environments, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return observations;
        }

        return environments.ToDictionary(
            name => name,
            name => fresh.TryGetValue(name, out var current) && current.IsObserved
                ? observations[name] with { Ready = current.Ready }
                : observations[name],
            StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<string, QueueObservation>> ObserveAsync(
        IReadOnlyList<string> environments, CancellationToken cancellationToken)
    {
        try
        {
            var observations = await primary.ObserveAsync(environments, cancellationToken).ConfigureAwait(false);
            if (_usingFallback)
            {
                _usingFallback = false;
                AutoscalerLog.ManagementApiRestored(logger, primary.ManagementUrl);
            }

            return await WithFreshReadyCountsAsync(environments, observations, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException
                                          && !cancellationToken.IsCancellationRequested)
        {
            if (!_usingFallback)
            {
                _usingFallback = true;
                AutoscalerLog.ManagementApiUnreachable(logger, primary.ManagementUrl, exception.Message);
            }
        }

        try
        {
            return await fallback.ObserveAsync(environments, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var unavailable = QueueObservation.Unavailable(
                $"queue depth unknown: management API and AMQP both failed ({exception.Message})");
            return environments.ToDictionary(name => name, _ => unavailable, StringComparer.Ordinal);
        }
    }
}
