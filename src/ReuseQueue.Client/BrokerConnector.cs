using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace ReuseQueue.Client;

/// <summary>Opens AMQP connections with automatic recovery, and errors that name what to check.</summary>
public static class BrokerConnector
{
    private const string GuestUser = "guest";

    /// <summary>Returns whether <paramref name="host"/> names this machine: localhost or a loopback address.</summary>
    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));

    /// <summary>Builds a connection factory for <paramref name="options"/>.</summary>
    public static ConnectionFactory CreateFactory(ConnectionOptions options, string clientName)
    {
        var factory = new ConnectionFactory
        {
            Uri = options.AmqpUri,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(2),
            RequestedHeartbeat = TimeSpan.FromSeconds(30),
            ClientProvidedName = clientName,
        };
        if (options.AmqpUser is not null)
        {
            factory.UserName = options.AmqpUser;
        }

        if (options.AmqpPassword is not null)
        {
            factory.Password = options.AmqpPassword;
        }

        if (options.AmqpUri.Scheme == "amqps")
        {
            factory.Ssl = new SslOption { Enabled = true, ServerName = options.AmqpUri.Host };
            if (options.AmqpCaFile is not null)
            {
                factory.Ssl.CertificateValidationCallback = PrivateAuthority.Validator(options.AmqpCaFile, "REUSEQ_AMQP_CA_FILE");
            }
        }

        return factory;
    }

    /// <summary>Connects to the broker, translating failures into a message that names the address.</summary>
    public static async Task<IConnection> ConnectAsync(
        ConnectionOptions options, string clientName, CancellationToken cancellationToken)
    {
        var factory = CreateFactory(options, clientName);
        if (factory.UserName == GuestUser && !IsLoopback(options.AmqpUri.Host))
        {
            throw new BrokerConnectionException(
                $"Refusing to log in to RabbitMQ at {options.RedactedAmqpUri} as 'guest': the default account is for " +
                "connections from this machine only. Set REUSEQ_AMQP_USER and REUSEQ_AMQP_PASSWORD (or REUSEQ_AMQP_PASSWORD_FILE).");
        }

        try
        {
            return await factory.CreateConnectionAsync(clientName, cancellationToken).ConfigureAwait(false);
        }
        catch (BrokerUnreachableException exception)
        {
            var innermost = exception.GetBaseException();
            var reason = exception.InnerException is AuthenticationFailureException
                ? "the broker rejected the user name or password (set REUSEQ_AMQP_USER and REUSEQ_AMQP_PASSWORD)"
                : $"the connection failed ({innermost.Message}); check that a broker runs there (`infra/services.sh up` " +
                  "starts one), that REUSEQ_AMQP_URI names it, and for amqps:// that REUSEQ_AMQP_CA_FILE names its certificate authority";
            throw new BrokerConnectionException(
                $"Could not connect to RabbitMQ at {options.RedactedAmqpUri}: {reason}.", exception);
        }
    }
}
