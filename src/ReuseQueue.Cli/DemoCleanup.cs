using ReuseQueue.Autoscaler.Control;
using ReuseQueue.Client;
using ReuseQueue.Contracts;
using ReuseQueue.Core.Configuration;

namespace ReuseQueue.Cli;

/// <summary>Removes what a demo run created: its queues, its Redis keys and its work folder.</summary>
internal static class DemoCleanup
{
    public static async Task RunAsync(string configPath, string environment, string workDirectory)
    {
        var connection = ConfigLoader.Load(configPath).ToConnectionOptions();
        try
        {
            await using var broker = await BrokerConnector.ConnectAsync(connection, "reuseq-demo-cleanup", CancellationToken.None);
            await using var channel = await broker.CreateChannelAsync();
            await channel.QueueDeleteAsync(QueueNames.TaskQueue(environment), ifUnused: false, ifEmpty: false);
            await channel.QueueDeleteAsync(QueueNames.ErrorQueue(environment), ifUnused: false, ifEmpty: false);

            await using var redis = await RedisConnector.ConnectAsync(connection, "reuseq-demo-cleanup");
            foreach (var server in redis.GetServers())
            {
                await foreach (var key in server.KeysAsync(pattern: connection.KeyPrefix + "*"))
                {
                    await redis.GetDatabase().KeyDeleteAsync(key);
                }
            }
        }
        catch (Exception exception) when (exception is BrokerConnectionException or StackExchange.Redis.RedisException)
        {
            Console.Error.WriteLine($"warning: the demo's queues or Redis keys could not be removed: {exception.Message}");
        }

        try
        {
            Directory.Delete(workDirectory, recursive: true);
        }
        catch (IOException exception)
        {
            Console.Error.WriteLine($"warning: the demo's folder {workDirectory} could not be removed: {exception.Message}");
        }
    }
}
