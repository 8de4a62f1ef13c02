using MassTransit;
using ReuseQueue.Client;

namespace ReuseQueue.Bench.Baselines;

/// <summary>The request message of the MassTransit baseline; a positive <see cref="SleepMilliseconds"/> makes the consumer wait.</summary>
public sealed record BenchRequest(int Value, int SleepMilliseconds);

public sealed record BenchResponse(int Value);

/// <summary>Replies to each request with its value, after the requested wait.</summary>
public sealed class BenchRequestConsumer : IConsumer<BenchRequest>
{
    public async Task Consume(ConsumeContext<BenchRequest> context)
    {
        if (context.Message.SleepMilliseconds > 0)
        {
            await Task.Delay(context.Message.SleepMilliseconds);
        }

        await context.RespondAsync(new BenchResponse(context.Message.Value));
    }
}

/// <summary>
/// An in-process MassTransit bus on RabbitMQ with one consumer and the default request client, all at default
/// settings. Only the entity names are set, so that this run's exchanges and queue can be deleted afterwards.
/// </summary>
public sealed class MassTransitBaseline : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly IRequestClient<BenchRequest> _client;

    private MassTransitBaseline(IBusControl bus, IRequestClient<BenchRequest> client, int prefetchCount)
    {
        _bus = bus;
        _client = client;
        PrefetchCount = prefetchCount;
    }

    /// <summary>The receive endpoint's prefetch count, which MassTransit chose.</summary>
    public int PrefetchCount { get; }

    /// <summary>Starts the bus. Every exchange and queue it creates is named after <paramref name="namePrefix"/>.</summary>
    public static async Task<MassTransitBaseline> StartAsync(ConnectionOptions options, string namePrefix, Action<string> trackExchange, Action<string> trackQueue)
    {
        var uri = options.AmqpUri;
        var virtualHost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        var userInfo = uri.UserInfo.Split(':', 2);
        var user = options.AmqpUser ?? (userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : "guest");
        var password = options.AmqpPassword ?? (userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "guest");
        var endpoint = $"{namePrefix}-endpoint";
        var requestExchange = $"{namePrefix}-request";
        var prefetchCount = 0;

        var bus = Bus.Factory.CreateUsingRabbitMq(configurator =>
        {
            configurator.Host(uri.Host, (ushort)(uri.Port > 0 ? uri.Port : 5672), virtualHost.Length == 0 ? "/" : virtualHost, host =>
            {
                host.Username(user);
                host.Password(password);
            });
            configurator.Message<BenchRequest>(message => message.SetEntityName(requestExchange));
            configurator.Message<BenchResponse>(message => message.SetEntityName($"{namePrefix}-response"));
            configurator.ReceiveEndpoint(endpoint, receive =>
            {
                prefetchCount = receive.PrefetchCount;
                receive.Consumer<BenchRequestConsumer>();
            });
        });
        trackExchange(requestExchange);
        trackExchange($"{namePrefix}-response");
        trackExchange(endpoint);
        trackQueue(endpoint);

        await bus.StartAsync(TimeSpan.FromSeconds(30));
        return new MassTransitBaseline(bus, bus.CreateRequestClient<BenchRequest>(), prefetchCount);
    }

    /// <summary>Sends one request through the request client and waits for its response.</summary>
    public async Task CallAsync(bool sleep)
    {
        var response = await _client.GetResponse<BenchResponse>(new BenchRequest(1, sleep ? 1 : 0));
        if (response.Message.Value != 1)
        {
            throw new InvalidOperationException($"The MassTransit consumer returned {response.Message.Value}, expected 1.");
        }
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync(TimeSpan.FromSeconds(30));
}
