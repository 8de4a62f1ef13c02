using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ReuseQueue.Autoscaler.Control;
using ReuseQueue.Autoscaler.Status;
using ReuseQueue.Client;
using ReuseQueue.Contracts;
using ReuseQueue.Core.Configuration;

namespace ReuseQueue.Cli.Commands;

/// <summary><c>reuseq status</c>: shows each environment's policy, queue, replicas and last decision.</summary>
public static class StatusCommand
{
    private static readonly JsonSerializerOptions JsonOutput = new(WireJson.Options) { WriteIndented = true };
    private static readonly JsonSerializerOptions CompactOutput = new(WireJson.Options) { WriteIndented = false };

    public static Command Create()
    {
        var config = CommonOptions.Config(required: true);
        var watch = new Option<bool>("--watch", "-w") { Description = "Refresh every second until Ctrl+C." };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts instead of a table." };
        var command = new Command("status", "Show each environment: policy, queue depth, replicas and the autoscaler's last decision.")
        {
            config, watch, json,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(config)!, parseResult.GetValue(watch), parseResult.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string configPath, bool watch, bool json, CancellationToken cancellationToken)
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
            do
            {
                var status = await instance.Status.ReadAsync(config, cancellationToken);
                if (watch && !json)
                {
                    Console.Clear();
                    Console.WriteLine($"reuseq status  {DateTimeOffset.Now:HH:mm:ss}  (Ctrl+C to stop)");
                }

                // Watching with --json prints one JSON document per line, so scripts can read it line by line.
                Console.WriteLine(json
                    ? JsonSerializer.Serialize(ToJson(status), watch ? CompactOutput : JsonOutput)
                    : StatusTable.Render(status));
                if (!watch)
                {
                    return status.RedisError is null ? ExitCodes.Success : ExitCodes.UsageOrConnection;
                }

                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            while (!cancellationToken.IsCancellationRequested);
        }

        return ExitCodes.Success;
    }

    private static object ToJson(FleetStatus status) => new
    {
        leader = status.Leader,
        redisError = status.RedisError,
        environments = status.Environments.Select(ToJson).ToList(),
    };

    private static object ToJson(EnvironmentStatus environment) => new
    {
        name = environment.Name,
        policy = PolicyText.Describe(environment.Policy),
        queue = new
        {
            observed = environment.Queue.IsObserved,
            ready = environment.Queue.Ready,
            unacked = environment.Queue.Unacked,
            consumers = environment.Queue.Consumers,
            error = environment.Queue.Error,
        },
        decision = environment.LastDecision,
        replicas = environment.Replicas.Select(replica => new
        {
            id = replica.Id,
            state = replica.State,
            inFlight = replica.InFlight,
            concurrency = replica.Concurrency,
            idleSeconds = replica.IdleFor?.TotalSeconds,
            startedAt = replica.StartedAt,
            runtimeId = replica.RuntimeId,
            image = replica.Image,
            tasksDone = replica.TasksDone,
        }),
    };
}
