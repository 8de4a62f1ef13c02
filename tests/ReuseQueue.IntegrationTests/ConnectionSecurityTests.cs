using ReuseQueue.Client;

namespace ReuseQueue.IntegrationTests;

/// <summary>The default guest account is used for this machine only; nothing is sent when it would leave it.</summary>
public sealed class ConnectionSecurityTests
{
    [Fact]
    public async Task Connect_GuestToRemoteHost_RejectedBeforeConnecting()
    {
        var options = new ConnectionOptions { AmqpUri = new Uri("amqp://rabbit.example.invalid:5672/") };

        var exception = await Assert.ThrowsAsync<BrokerConnectionException>(() =>
            BrokerConnector.ConnectAsync(options, "test", CancellationToken.None));

        Assert.Equal(
            "Refusing to log in to RabbitMQ at amqp://rabbit.example.invalid:5672/ as 'guest': the default account is for " +
            "connections from this machine only. Set REUSEQ_AMQP_USER and REUSEQ_AMQP_PASSWORD (or REUSEQ_AMQP_PASSWORD_FILE).",
            exception.Message);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("localhost", true)]
    [InlineData("::1", true)]
    [InlineData("127.0.0.53", true)]
    [InlineData("rabbit.example.invalid", false)]
    [InlineData("203.0.113.7", false)]
    public void IsLoopback_Host_MatchesLoopbackOnly(string host, bool expected)
    {
        Assert.Equal(expected, BrokerConnector.IsLoopback(host));
    }

    [Fact]
    public void ToString_WithPasswords_HidesThem()
    {
        var options = new ConnectionOptions
        {
            AmqpUri = new Uri("amqp://app:s3cret-amqp@127.0.0.1:5672/"),
            AmqpPassword = "s3cret-amqp",
            Redis = "127.0.0.1:6379,password=s3cret-redis",
            RedisPassword = "s3cret-redis",
        };

        var text = options.ToString();

        Assert.DoesNotContain("s3cret", text);
        Assert.Contains("amqp://app:***@127.0.0.1:5672/", text);
        Assert.Contains("password=***", text);
    }
}
