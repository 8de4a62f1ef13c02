using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace ReuseQueue.Client;

/// <summary>Opens AMQP connections with automatic recovery, and errors that say what to check.</summary>
public static class BrokerConnector
{
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
        }

        return factory;
    }

    /// <summary>Connects to the broker, translating failures into a message that names the address.</summary>
    public static async Task<IConnection> ConnectAsync(
        ConnectionOptions options, string clientName, CancellationToken cancellationToken)
    {
        var factory = CreateFactory(options, clientName);
        try
        {
            return await factory.CreateConnectionAsync(clientName, cancellationToken).ConfigureAwait(false);
        }
        catch (BrokerUnreachableException exception)
        {
            var reason = exception.InnerException is AuthenticationFailureException
                ? "the broker rejected the user name or password (set REUSEQ_AMQP_USER and REUSEQ_AMQP_PASSWORD)"
                : "nothing answered there (start it with `infra/services.sh up`, or set REUSEQ_AMQP_URI)";
            throw new BrokerConnectionException(
                $"Could not connect to RabbitMQ at {options.RedactedAmqpUri}: {reason}.", exception);
        }
    }
}
