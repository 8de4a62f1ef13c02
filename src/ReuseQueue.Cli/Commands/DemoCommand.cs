using System.CommandLine;
using System.Diagnostics;

namespace ReuseQueue.Cli.Commands;

/// <summary>
/// <c>reuseq demo</c>: starts the services, runs the autoscaler with process replicas on a demo
/// environment with short TTLs, sends a burst of tasks and shows the pool grow, work, step down and
/// go to zero. Takes about a minute.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var tasks = new Option<int>("--tasks") { Description = "Tasks in the burst. Default: 40.", DefaultValueFactory = _ => 40 };
        var skipServices = new Option<bool>("--skip-services") { Description = "Do not run infra/services.sh up; use the services at the REUSEQ_* addresses." };
        var driver = new Option<string>("--driver")
        {
            Description = "Where replicas run: process (local processes) or docker (containers of reuseq/example-worker:latest).",
            DefaultValueFactory = _ => "process",
        };
        driver.AcceptOnlyFromAmong("process", "docker");
        var command = new Command("demo", "Show the autoscaler at work on a burst of tasks, from zero replicas back to zero (about a minute).")
        {
            tasks, skipServices, driver,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var burst = parseResult.GetValue(tasks);
            if (burst < 1 || burst > 10_000)
            {
                return Task.FromResult(CliOutput.Error([$"--tasks {burst} is invalid: use 1 to 10000."]));
            }

            var useDocker = parseResult.GetValue(driver) == "docker";
            return new DemoRun(burst, useDocker).RunAsync(parseResult.GetValue(skipServices), cancellationToken);
        });
        return command;
    }

    /// <summary>Runs infra/services.sh up from the repository; returns false when it failed.</summary>
    /// <summary>Runs a script of infra/ with arguments, showing its output; returns false when it failed.</summary>
    internal static async Task<bool> RunInfraScriptAsync(
        string repositoryRoot, string script, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(repositoryRoot, "infra", script);
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"error: {path} not found; run the demo from a clone of the repository or pass --skip-services.");
            return false;
        }

        var startInfo = new ProcessStartInfo("bash") { ArgumentList = { path } };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0;
    }
}
