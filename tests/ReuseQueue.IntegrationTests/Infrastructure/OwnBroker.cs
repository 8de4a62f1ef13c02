using System.Net;
using System.Net.Sockets;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;
using ReuseQueue.Client;

namespace ReuseQueue.IntegrationTests.Infrastructure;

/// <summary>
/// A RabbitMQ broker of a test's own, started with Testcontainers from the locally built image
/// reuseq/rabbitmq:3.10 on host networking with ports of its own, so the test may stop and restart
/// it without disturbing anyone else.
/// </summary>
public sealed class OwnBroker : IAsyncDisposable
{
    /// <summary>The broker image that infra/build-images.sh builds.</summary>
    public const string Image = "reuseq/rabbitmq:3.10";

    private readonly IContainer _container;

    static OwnBroker()
    {
        // The resource reaper is a container image of its own, which cannot be pulled here;
        // each test removes its broker in DisposeAsync instead.
        TestcontainersSettings.ResourceReaperEnabled = false;
    }

    private OwnBroker(IContainer container, int amqpPort)
    {
        _container = container;
        AmqpPort = amqpPort;
    }

    public int AmqpPort { get; }

    public Uri AmqpUri => new($"amqp://127.0.0.1:{AmqpPort}/");

    public Uri ManagementUrl => new($"http://127.0.0.1:{AmqpPort + 10000}/");

    /// <summary>Starts a broker; <paramref name="erlangArguments"/> are extra settings such as <c>-rabbit consumer_timeout 3000</c>.</summary>
    public static async Task<OwnBroker> StartAsync(string erlangArguments = "")
    {
        var (amqpPort, epmdPort) = FindFreePorts();
        var container = new ContainerBuilder()
            .WithImage(Image)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithName($"reuseq-test-broker-{amqpPort}")
            .WithCreateParameterModifier(parameters => parameters.HostConfig.NetworkMode = "host")
            .WithEnvironment("RABBITMQ_NODE_PORT", amqpPort.ToString())
            .WithEnvironment("ERL_EPMD_PORT", epmdPort.ToString())
            .WithEnvironment("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", erlangArguments)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("Server startup complete"))
            .Build();
        await container.StartAsync();
        return new OwnBroker(container, amqpPort);
    }

    /// <summary>Connection options that point at this broker and at the shared Redis.</summary>
    public ConnectionOptions Connection(ConnectionOptions shared) => shared with { AmqpUri = AmqpUri };

    public Task StopAsync() => _container.StopAsync();

    /// <summary>Starts the stopped broker again; durable queues and persistent messages survive.</summary>
    public Task StartAgainAsync() => _container.StartAsync();

    public async ValueTask DisposeAsync() => await _container.DisposeAsync();

    // The image derives the management port (+10000) and the distribution port (+20000) from the
    // AMQP port, so all three must be free.
    private static (int Amqp, int Epmd) FindFreePorts()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var amqp = Random.Shared.Next(5700, 9999);
            var epmd = Random.Shared.Next(4400, 4999);
            if (IsFree(amqp) && IsFree(amqp + 10000) && IsFree(amqp + 20000) && IsFree(epmd))
            {
                return (amqp, epmd);
            }
        }

        throw new InvalidOperationException("No free ports for a test broker between 5700 and 9999.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
