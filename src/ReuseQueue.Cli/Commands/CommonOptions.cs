using System.CommandLine;
using Microsoft.Extensions.Logging;
using ReuseQueue.Autoscaler.Control;
using ReuseQueue.Client;
using ReuseQueue.Core.Configuration;

namespace ReuseQueue.Cli.Commands;

internal static class CommonOptions
{
    public static Option<string?> Config(bool required = false) => new("--config", "-c")
    {
        Description = required
            ? "The autoscaler config file (YAML)."
            : "An autoscaler config file (YAML) to take the broker and Redis addresses from. Default: REUSEQ_* environment variables.",
        Required = required,
    };

    /// <summary>Loads a config file, printing every problem when it is invalid; null on failure.</summary>
    public static AutoscalerConfig? LoadConfig(string path)
    {
        try
        {
            var config = ConfigLoader.Load(path);
            foreach (var warning in config.Warnings)
            {
                Console.Error.WriteLine(warning);
            }

            return config;
        }
        catch (ConfigException exception)
        {
            foreach (var problem in exception.Errors)
            {
                Console.Error.WriteLine("error: " + problem);
            }

            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            var reason = Directory.Exists(path) ? "it is a folder, not a file" : exception.Message;
            Console.Error.WriteLine($"error: could not read config file '{path}': {reason}");
            return null;
        }
    }

    /// <summary>
    /// Builds the autoscaler's connections for a command; prints the problem and returns null when the
    /// config or a service fails, so the command can return <see cref="ExitCodes.UsageOrConnection"/>.
    /// </summary>
    public static async Task<AutoscalerInstance?> CreateInstanceAsync(
        string configPath, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        try
        {
            return await AutoscalerInstance.CreateAsync(configPath, loggerFactory, TimeProvider.System, cancellationToken: cancellationToken);
        }
        catch (ConfigException exception)
        {
            CliOutput.Error(exception.Errors.Select(problem => problem.ToString()));
        }
        catch (BrokerConnectionException exception)
        {
            CliOutput.Error([exception.Message]);
        }

        return null;
    }

    /// <summary>The connection settings from the config file, or from the environment when none is given.</summary>
    public static Task<ConnectionOptions?> ResolveConnectionAsync(string? configPath, CancellationToken cancellationToken)
    {
        if (configPath is null)
        {
            try
            {
                return Task.FromResult<ConnectionOptions?>(ConnectionOptions.FromEnvironment());
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
            {
                Console.Error.WriteLine("error: " + exception.Message);
                return Task.FromResult<ConnectionOptions?>(null);
            }
        }

        return Task.FromResult(LoadConfig(configPath)?.ToConnectionOptions());
    }
}
