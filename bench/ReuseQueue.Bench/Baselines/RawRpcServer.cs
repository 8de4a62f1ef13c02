using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using ReuseQueue.Client;

namespace ReuseQueue.Bench.Baselines;

/// <summary>
/// The server side of the raw AMQP RPC baseline, run as a process of its own (<c>ReuseQueue.Bench raw-server QUEUE
/// CONCURRENCY</c>) so that it runs where a replica runs. It consumes a durable queue with prefetch and dispatch
/// concurrency both equal to CONCURRENCY, replies to each message's reply_to with its correlation id, and then
/// acknowledges it. A message of type <c>sleep</c> waits 1 ms first. It prints <c>ready</c> once it consumes and
/// exits when its standard input closes.
/// </summary>
public static class RawRpcServer
{
    public const string SleepType = "sleep";

    private static readonly byte[] ReplyBody = Encoding.UTF8.GetBytes("{\"status\":\"succeeded\",\"output\":{\"value\":1}}");

    public static async Task<int> RunAsync(string queue, int concurrency)
    {
        var options = ConnectionOptions.FromEnvironment();
        await using var connection = await BrokerConnector.ConnectAsync(options, "bench-raw-server", CancellationToken.None);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false,
            consumerDispatchConcurrency: (ushort)concurrency));
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.BasicQosAsync(0, (ushort)concurrency, global: false);

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            if (delivery.BasicProperties.Type == SleepType)
            {
                await Task.Delay(1);
            }

            if (delivery.BasicProperties.ReplyTo is { } replyTo)
            {
                var properties = new BasicProperties { CorrelationId = delivery.BasicProperties.CorrelationId, ContentType = "application/json" };
                await channel.BasicPublishAsync(string.Empty, replyTo, mandatory: false, properties, ReplyBody);
            }

            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
        Console.WriteLine("ready");

        await Task.Run(() => Console.In.ReadToEnd());
        return 0;
    }
}
