using System.CommandLine;
using System.Text.Json;
using ReuseQueue.Client;
using ReuseQueue.Contracts;
using ReuseQueue.Core.Configuration;

namespace ReuseQueue.Cli.Commands;

/// <summary><c>reuseq submit</c>: publishes one task and prints its result as JSON.</summary>
public static class SubmitCommand
{
    public static Command Create()
    {
        var environment = new Option<string>("--env") { Description = "The task environment to run the task in.", Required = true };
        var task = new Option<string>("--task") { Description = "The task (handler) name.", Required = true };
        var input = new Option<string>("--input") { Description = "The task input as JSON.", DefaultValueFactory = _ => "null" };
        var timeout = new Option<string>("--timeout") { Description = "How long to wait for the result, e.g. 30s or 5m.", DefaultValueFactory = _ => "5m" };
        var noWait = new Option<bool>("--no-wait") { Description = "Publish and print the execution id at once; `reuseq result ID` prints the result later." };
        var config = CommonOptions.Config();

        var command = new Command("submit",
            "Publish a task, wait for its result and print it as JSON. Exit codes: 0 succeeded, 1 task failed, " +
            "2 bad arguments or unreachable service, 3 timed out.")
        {
            environment, task, input, timeout, noWait, config,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(environment)!, parseResult.GetValue(task)!, parseResult.GetValue(input)!,
            parseResult.GetValue(timeout)!, parseResult.GetValue(noWait), parseResult.GetValue(config),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        string environment, string task, string inputText, string timeoutText, bool noWait, string? configPath,
        CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (!EnvironmentName.IsValid(environment))
        {
            problems.Add($"--env '{environment}' is invalid: use {EnvironmentName.Rule}.");
        }

        JsonElement input = default;
        try
        {
            input = JsonSerializer.Deserialize<JsonElement>(inputText);
        }
        catch (JsonException exception)
        {
            problems.Add($"--input is not valid JSON ({exception.Message}). Quote it for the shell, e.g. --input '{{\"value\": 3}}'.");
        }

        if (!DurationText.TryParse(timeoutText, out var timeout, out _))
        {
            problems.Add($"--timeout '{timeoutText}' is invalid: use a duration such as 500ms, 30s, 5m or 1h.");
        }

        if (problems.Count > 0)
        {
            return CliOutput.Error(problems);
        }

        var connection = await CommonOptions.ResolveConnectionAsync(configPath, cancellationToken);
        if (connection is null)
        {
            return ExitCodes.UsageOrConnection;
        }

        if (configPath is not null && CommonOptions.LoadConfig(configPath) is { } config
            && config.Environments.All(configured => configured.Name != environment))
        {
            return CliOutput.Error([
                $"environment '{environment}' is not in {configPath}; configured: {string.Join(", ", config.Environments.Select(e => e.Name))}."]);
        }

        try
        {
            await using var client = await ReuseQueueClient.ConnectAsync(connection, "reuseq-cli", cancellationToken: cancellationToken);
            if (noWait)
            {
                var executionId = await client.SubmitAsync(environment, task, input, cancellationToken: cancellationToken);
                Console.WriteLine(JsonSerializer.Serialize(new { executionId }, CliJson.Indented));
                return ExitCodes.Success;
            }

            var result = await client.RunAsync(environment, task, input, new RunOptions { Timeout = timeout }, cancellationToken);
            Console.WriteLine(JsonSerializer.Serialize(result, CliJson.Indented));
            if (!result.Succeeded)
            {
                await Console.Error.WriteLineAsync($"error: task failed: {result.Error?.Type}: {result.Error?.Message}");
                return ExitCodes.Failed;
            }

            return ExitCodes.Success;
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
