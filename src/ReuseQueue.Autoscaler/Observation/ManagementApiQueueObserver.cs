using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ReuseQueue.Contracts;
using ReuseQueue.Core.Scaling;

namespace ReuseQueue.Autoscaler.Observation;

/// <summary>
/// Reads ready and unacknowledged counts and consumers of all task queues of the virtual host with
/// one call to the RabbitMQ management HTTP API. Its counts are as fresh as the broker's
/// <c>collect_statistics_interval</c> (5 s by default; the services script sets 1 s).
/// </summary>
public sealed class ManagementApiQueueObserver : IQueueObserver, IDisposable
{
    private readonly HttpClient _http;
    private readonly string _path;

    public ManagementApiQueueObserver(Uri managementUrl, string virtualHost, string user, string password, TimeSpan timeout)
    {
        _http = new HttpClient { BaseAddress = managementUrl, Timeout = timeout };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        _path = $"api/queues/{Uri.EscapeDataString(virtualHost)}?columns=name,messages_ready,messages_unacknowledged,consumers";
        ManagementUrl = managementUrl;
    }

    public Uri ManagementUrl { get; }

    public async Task<IReadOnlyDictionary<string, QueueObservation>> ObserveAsync(
        IReadOnlyList<string> environments, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(_path, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"GET {ManagementUrl}{_path.Split('?')[0]} returned {(int)response.StatusCode} {response.ReasonPhrase}" +
                (response.StatusCode == System.Net.HttpStatusCode.Unauthorized
                    ? ": the management API rejected the broker user; give it the 'monitoring' tag"
                    : string.Empty));
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        var byQueue = new Dictionary<string, QueueObservation>(StringComparer.Ordinal);
        foreach (var queue in document.RootElement.EnumerateArray())
        {
            var name = queue.GetProperty("name").GetString()!;
            if (name.StartsWith(QueueNames.Prefix, StringComparison.Ordinal))
            {
                byQueue[name] = QueueObservation.Of(
                    ReadLong(queue, "messages_ready"), ReadLong(queue, "messages_unacknowledged"),
                    (int)ReadLong(queue, "consumers"));
            }
        }

        return environments.ToDictionary(
            environment => environment,
            environment => byQueue.GetValueOrDefault(QueueNames.TaskQueue(environment)) ?? QueueObservation.Of(0, 0),
            StringComparer.Ordinal);
    }

    // A queue that was just declared has no statistics yet, so its counters are absent.
    private static long ReadLong(JsonElement queue, string name) =>
        queue.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    public void Dispose() => _http.Dispose();
}
