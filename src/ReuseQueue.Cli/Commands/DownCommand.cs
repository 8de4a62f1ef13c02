using System.CommandLine;
using Microsoft.Extensions.Logging;
using ReuseQueue.Autoscaler.Control;
using ReuseQueue.Client;
using ReuseQueue.Core.Configuration;

namespace ReuseQueue.Cli.Commands;

/// <summary>
/// <c>reuseq down</c>: drains and stops every replica of the config's deployment. Stopping
/// <c>reuseq up</c> leaves replicas running for the next autoscaler to adopt; this ends them.
/// </summary>
public static class DownCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config(required: true);
        var command = new Command("down", "Drain and stop every replica of the config's deployment (after `reuseq up` has stopped).")
        {
            config,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.GetValue(config)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string configPath, CancellationToken cancellationToken)
    {
        var config = CommonOptions.LoadConfig(configPath);
        if (config is null)
        {
            return ExitCodes.Failed;
        }

        using var loggerFactory = CliLogging.Create(LogLevel.Warning);
        var instance = await CommonOptions.CreateInstanceAsync(configPath, loggerFactory, cancellationToken);
        if (instance is null)
        {
            return ExitCodes.UsageOrConnection;
        }

        await using (instance)
        {
            var status = await instance.Status.ReadAsync(config, cancellationToken);
            if (status.Leader is not null)
            {
                return CliOutput.Error([
                    $"autoscaler {status.Leader} is running and would start the replicas again; stop it (Ctrl+C or SIGTERM) first."]);
            }

            var replicas = await instance.Driver.ListAsync(cancellationToken);
            Console.WriteLine($"stopping {replicas.Count} replica(s), each may drain for up to {DurationText.Format(config.Autoscaler.GracePeriod)}");
            var stops = replicas.Select(async replica =>
            {
                if (replica.IsRunning)
                {
                    var exitCode = await instance.Driver.StopAsync(replica, config.Autoscaler.GracePeriod, cancellationToken);
                    Console.WriteLine($"  {replica.Environment}/{replica.ReplicaId}: stopped, exit code {exitCode?.ToString() ?? "unknown"}");
                }
                else
                {
                    await instance.Driver.RemoveAsync(replica, cancellationToken);
                    Console.WriteLine($"  {replica.Environment}/{replica.ReplicaId}: had exited, record removed");
                }
            });
            await Task.WhenAll(stops);
        }

        return ExitCodes.Success;
    }
}
