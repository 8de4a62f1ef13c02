using ReuseQueue.Core.Configuration;

namespace ReuseQueue.Cli;

/// <summary>
/// Warns about command arguments that look like relative file paths but do not exist from the current
/// folder: process replicas start in the folder where <c>reuseq up</c> runs, so such a replica would
/// exit at once and crash-loop.
/// </summary>
internal static class CommandPathCheck
{
    public static void Warn(AutoscalerConfig config)
    {
        if (config.Autoscaler.Driver != ReplicaDriverKind.Process)
        {
            return;
        }

        var folder = Directory.GetCurrentDirectory();
        for (var i = 0; i < config.Environments.Count; i++)
        {
            foreach (var argument in config.Environments[i].Command ?? [])
            {
                if (LooksLikeRelativePath(argument) && !File.Exists(argument) && !Directory.Exists(argument))
                {
                    Console.Error.WriteLine(
                        $"warning: environments[{i}].command: '{argument}' does not exist relative to {folder}, the folder " +
                        "replicas start in; run reuseq from the folder the path is relative to, or use an absolute path.");
                }
            }
        }
    }

    private static bool LooksLikeRelativePath(string argument) =>
        !argument.StartsWith('-') && !Path.IsPathRooted(argument) && argument.Contains('/') && !argument.Contains("://");
}
