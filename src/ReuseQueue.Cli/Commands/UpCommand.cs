using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using ReuseQueue.Autoscaler.Control;
using ReuseQueue.Client;
using ReuseQueue.Core.Configuration;

namespace ReuseQueue.Cli.Commands;

/// <summary><c>reuseq up</c>: runs the autoscaler until Ctrl+C or SIGTERM.</summary>
public static class UpCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config(required: true);
        var command = new Command("up", "Run the autoscaler: keep every environment of the config at the right number of replicas, logging each decision.")
        {
            config,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.GetValue(config)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string configPath, CancellationToken cancellationToken)
    {
        if (CommonOptions.LoadConfig(configPath) is not { } config)
        {
            return ExitCodes.Failed;
        }

        CommandPathCheck.Warn(config);

        using var loggerFactory = CliLogging.Create();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        var instance = await CommonOptions.CreateInstanceAsync(configPath, loggerFactory, stop.Token);
        if (instance is null)
        {
            return ExitCodes.UsageOrConnection;
        }

        await using (instance)
        {
            await instance.Loop.RunAsync(stop.Token);
        }

        return ExitCodes.Success;
    }
}
