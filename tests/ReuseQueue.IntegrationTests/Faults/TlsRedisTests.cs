using ReuseQueue.ExampleWorker;
using ReuseQueue.IntegrationTests.Infrastructure;

namespace ReuseQueue.IntegrationTests.Faults;

/// <summary>Replicas and clients reach a Redis that accepts TLS only, trusting its certificate authority by file.</summary>
[Collection(ServicesCollection.Name)]
public sealed class TlsRedisTests
{
    [Fact]
    public async Task TlsRedis_WithCaFile_HeartbeatAndResultTravelOverTls()
    {
        using var folder = new TemporaryDirectory();
        var certificates = await TestCertificates.CreateAsync(folder);
        await using var redis = await RedisServerProcess.StartAsync(tls: certificates);
        await using var environment = new TestEnvironment("tls", connection => connection with
        {
            Redis = $"127.0.0.1:{redis.Port},sslHost=localhost",
            RedisCaFile = certificates.CaFile,
        });

        await environment.StartReplicaAsync("r1", concurrency: 1);
        var client = await environment.ClientAsync();
        var executionId = await client.SubmitAsync(environment.Name, "square", new SquareInput(5));
        var result = await client.WaitForResultAsync(executionId, TimeSpan.FromSeconds(30));

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(25, result.Output!.Value.GetInt64());
        Assert.Equal("r1", result.ReplicaId);
    }
}
