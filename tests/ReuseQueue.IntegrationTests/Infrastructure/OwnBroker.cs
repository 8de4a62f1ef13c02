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

    private OwnBroker(IContainer container, int amqpPort, int? amqpsPort)
    {
        _container = container;
        AmqpPort = amqpPort;
        AmqpsPort = amqpsPort;
    }

    /// <summary>The TLS listener's port, when the broker was started with certificates.</summary>
    public int? AmqpsPort { get; }

    public int AmqpPort { get; }

    public Uri AmqpUri => new($"amqp://127.0.0.1:{AmqpPort}/");

    public Uri ManagementUrl => new($"http://127.0.0.1:{AmqpPort + 10000}/");

    /// <summary>Starts a broker; <paramref name="erlangArguments"/> are extra settings such as <c>-rabbit consumer_timeout 3000</c>.</summary>
    /// <param name="tls">When set, the broker also listens for TLS on <see cref="AmqpsPort"/> with this certificate.</param>
    public static async Task<OwnBroker> StartAsync(string erlangArguments = "", TestCertificates? tls = null)
    {
        var (amqpPort, epmdPort) = FindFreePorts();
        int? amqpsPort = null;
        if (tls is not null)
        {
            amqpsPort = FindFreePort(5000, 5699);
            erlangArguments += $" -rabbit ssl_listeners [{{\"127.0.0.1\",{amqpsPort}}}] -rabbit ssl_options " +
                $"[{{cacertfile,\"/certs/{Path.GetFileName(tls.CaFile)}\"}},{{certfile,\"/certs/{Path.GetFileName(tls.ServerCertificateFile)}\"}}," +
                $"{{keyfile,\"/certs/{Path.GetFileName(tls.ServerKeyFile)}\"}},{{verify,verify_none}},{{fail_if_no_peer_cert,false}}]";
        }

        var builder = new ContainerBuilder()
            .WithImage(Image)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithName($"reuseq-test-broker-{amqpPort}")
            .WithCreateParameterModifier(parameters => parameters.HostConfig.NetworkMode = "host")
            .WithEnvironment("RABBITMQ_NODE_PORT", amqpPort.ToString())
            .WithEnvironment("ERL_EPMD_PORT", epmdPort.ToString())
            .WithEnvironment("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", erlangArguments)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("Server startup complete"));
        if (tls is not null)
        {
            builder = builder.WithBindMount(Path.GetDirectoryName(tls.CaFile)!, "/certs", AccessMode.ReadOnly);
        }

        var container = builder.Build();
        await container.StartAsync();
        return new OwnBroker(container, amqpPort, amqpsPort);
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

    private static int FindFreePort(int from, int to)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = Random.Shared.Next(from, to);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free port for a test broker between {from} and {to}.");
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
