using ReuseQueue.ExampleWorker;
using ReuseQueue.IntegrationTests.Infrastructure;

namespace ReuseQueue.IntegrationTests.OwnBroker;

/// <summary>Replicas and clients reach a broker over TLS (amqps), trusting its certificate authority by file.</summary>
[Collection(ServicesCollection.Name)]
public sealed class TlsBrokerTests
{
    [Fact]
    public async Task TlsBroker_WithCaFile_TaskRunsOverAmqps()
    {
        using var folder = new TemporaryDirectory();
        var certificates = await TestCertificates.CreateAsync(folder);
        await using var broker = await Infrastructure.OwnBroker.StartAsync(tls: certificates);
        await using var environment = new TestEnvironment("amqps", connection => connection with
        {
            AmqpUri = new Uri($"amqps://localhost:{broker.AmqpsPort}/"),
            AmqpCaFile = certificates.CaFile,
        });

        await environment.StartReplicaAsync("r1", concurrency: 1);
        var client = await environment.ClientAsync();
        var square = await client.RunAsync<SquareInput, long>(environment.Name, "square", new SquareInput(9));

        Assert.Equal(81, square);
    }
}
