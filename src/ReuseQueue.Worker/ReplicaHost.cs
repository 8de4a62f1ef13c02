using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReuseQueue.Client;

namespace ReuseQueue.Worker;

/// <summary>
/// The entry point of a worker program: reads the replica's settings from <c>REUSEQ_*</c> environment
/// variables, serves the registered handlers, and drains on SIGTERM or Ctrl+C before it exits 0.
/// </summary>
public static class ReplicaHost
{
    /// <summary>Runs the replica until it receives SIGTERM or Ctrl+C. Returns the process exit code.</summary>
    public static async Task<int> RunAsync(TaskHandlerRegistry registry, string[] args)
    {
        ReplicaOptions options;
        try
        {
            options = ReplicaOptions.FromEnvironment(Environment.GetEnvironmentVariable, TimeProvider.System);
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message).ConfigureAwait(false);
            return 2;
        }

        using var host = Build(registry, options, args);
        try
        {
            await host.RunAsync().ConfigureAwait(false);
        }
        catch (BrokerConnectionException exception)
        {
            // The replica exits non-zero so the autoscaler counts it as a crash and backs off.
            await Console.Error.WriteLineAsync(
                $"Replica {options.ReplicaId} of environment {options.Environment} could not start: {exception.Message}")
                .ConfigureAwait(false);
            return 1;
        }

        return 0;
    }

    /// <summary>Builds the replica's host without starting it, for tests and custom programs.</summary>
    public static IHost Build(TaskHandlerRegistry registry, ReplicaOptions options, string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            DisableDefaults = true,
        });
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });

        // A start failure is reported once, in words, by RunAsync; the host would log it again with the whole stack.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.GracePeriod + TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ReplicaStats>();
        builder.Services.AddHostedService<ReplicaService>();
        return builder.Build();
    }
}
