using System.CommandLine;
using System.Text.Json;
using ReuseQueue.Client;
using ReuseQueue.Contracts;
using ReuseQueue.Core.Configuration;

namespace ReuseQueue.Cli.Commands;

/// <summary><c>reuseq result ID</c>: prints the stored result of a task sent with <c>submit --no-wait</c>.</summary>
public static class ResultCommand
{
    public static Command Create()
    {
        var executionId = new Argument<string>("execution-id") { Description = "The execution id that `submit --no-wait` printed." };
        var wait = new Option<string?>("--wait") { Description = "Wait up to this long for the result, e.g. 30s. Without it, return at once." };
        var config = CommonOptions.Config();
        var command = new Command("result", "Print the result of a submitted task as JSON; results are kept in Redis for 24 hours.")
        {
            executionId, wait, config,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(executionId)!, parseResult.GetValue(wait), parseResult.GetValue(config), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string executionId, string? waitText, string? configPath, CancellationToken cancellationToken)
    {
        TimeSpan? wait = null;
        if (waitText is not null)
        {
            if (!DurationText.TryParse(waitText, out var parsed, out var error))
            {
                return CliOutput.Error([$"--wait '{waitText}' is invalid: {error}."]);
            }

            wait = parsed;
        }

        var connection = await CommonOptions.ResolveConnectionAsync(configPath, cancellationToken);
        if (connection is null)
        {
            return ExitCodes.UsageOrConnection;
        }

        try
        {
            await using var client = await ReuseQueueClient.ConnectAsync(connection, "reuseq-cli", cancellationToken: cancellationToken);
            var result = wait is { } timeout
                ? await client.WaitForResultAsync(executionId, timeout, cancellationToken)
                : await client.FetchResultAsync(executionId, cancellationToken);
            if (result is null)
            {
                await Console.Error.WriteLineAsync(
                    $"error: no result for '{executionId}' yet: the task is queued or running, or its result expired. Retry, or pass --wait 30s.");
                return ExitCodes.TimedOut;
            }

            Console.WriteLine(JsonSerializer.Serialize(result, CliJson.Indented));
            return result.Succeeded ? ExitCodes.Success : ExitCodes.Failed;
        }
        catch (BrokerConnectionException exception)
        {
            return CliOutput.Error([exception.Message]);
        }
        catch (TimeoutException exception)
        {
            await Console.Error.WriteLineAsync("error: " + exception.Message);
            return ExitCodes.TimedOut;
        }
    }
}
