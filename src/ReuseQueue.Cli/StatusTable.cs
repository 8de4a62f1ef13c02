using System.Text;
using ReuseQueue.Autoscaler.Status;
using ReuseQueue.Core.Configuration;

namespace ReuseQueue.Cli;

/// <summary>Renders the status of environments as plain text for a terminal.</summary>
internal static class StatusTable
{
    public static string Render(IReadOnlyList<EnvironmentStatus> environments)
    {
        var text = new StringBuilder();
        foreach (var environment in environments)
        {
            text.AppendLine($"{environment.Name}: {PolicyText.Describe(environment.Policy)}");
            var queue = environment.Queue;
            text.AppendLine(queue.IsObserved
                ? $"  queue      {queue.Ready} ready, {queue.Unacked} unacked, {queue.Consumers} consumer(s)"
                : $"  queue      unknown: {queue.Error}");
            if (environment.LastDecision is { } decision)
            {
                text.AppendLine($"  decision   {decision.Reason}  ({decision.DecidedAt.ToLocalTime():HH:mm:ss}, {decision.Leader})");
            }
            else
            {
                text.AppendLine("  decision   none yet: is `reuseq up` running with this config?");
            }

            if (environment.Replicas.Count == 0)
            {
                text.AppendLine("  replicas   none");
                continue;
            }

            text.AppendLine($"  {"REPLICA",-28} {"STATE",-9} {"IN-FLIGHT",-9} {"IDLE FOR",-9} {"DONE",-6} RUNTIME");
            foreach (var replica in environment.Replicas)
            {
                var idle = replica.IdleFor is { } idleFor ? DurationText.Format(TimeSpan.FromSeconds(Math.Floor(idleFor.TotalSeconds))) : "-";
                text.AppendLine(
                    $"  {replica.Id,-28} {replica.State,-9} {$"{replica.InFlight}/{replica.Concurrency}",-9} {idle,-9} {replica.TasksDone,-6} {replica.RuntimeId}");
            }
        }

        return text.ToString().TrimEnd();
    }
}
