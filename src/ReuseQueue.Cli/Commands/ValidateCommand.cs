using System.CommandLine;

namespace ReuseQueue.Cli.Commands;

/// <summary><c>reuseq validate FILE</c>: checks a config file without starting anything.</summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The autoscaler config file (YAML) to check." };
        var command = new Command("validate", "Check an autoscaler config file and report every problem with its line.") { file };
        command.SetAction(parseResult =>
        {
            var path = parseResult.GetValue(file)!;
            var config = CommonOptions.LoadConfig(path);
            if (config is null)
            {
                return ExitCodes.Failed;
            }

            CommandPathCheck.Warn(config);
            Console.WriteLine($"{path}: valid, {config.Environments.Count} environment(s), driver {config.Autoscaler.Driver.ToString().ToLowerInvariant()}");
            foreach (var environment in config.Environments)
            {
                Console.WriteLine($"  {environment.Name}: {PolicyText.Describe(environment.Policy)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
