using System.Text;
using ReuseQueue.Autoscaler.Status;
using ReuseQueue.Core.Configuration;

namespace ReuseQueue.Cli;

/// <summary>Renders the status of environments as plain text for a terminal.</summary>
internal static class StatusTable
{
    public static string Render(FleetStatus status)
    {
        var text = new StringBuilder();
        if (status.RedisError is not null)
        {
            text.AppendLine($"redis        unreachable ({status.RedisError}): heartbeats, decisions and the leader are unknown");
        }

        text.AppendLine(status.Leader is null
            ? "autoscaler   none running: no instance holds the lease, so decisions below are history (start one with `reuseq up`)"
            : $"autoscaler   {status.Leader} holds the lease");
        foreach (var environment in status.Environments)
        {
            text.AppendLine($"{environment.Name}: {PolicyText.Describe(environment.Policy)}");
            var queue = environment.Queue;
            text.AppendLine(queue.IsObserved
                ? $"  queue      {queue.Ready} ready, {queue.Unacked} unacked, {queue.Consumers} consumer(s)"
                : $"  queue      unknown: {queue.Error}");
            if (environment.LastDecision is { } decision)
            {
                var age = DurationText.Format(TimeSpan.FromSeconds(Math.Floor((DateTimeOffset.UtcNow - decision.DecidedAt).TotalSeconds)));
                text.AppendLine($"  decision   {decision.Reason}  ({age} ago, by {decision.Leader})");
            }
            else
            {
                text.AppendLine("  decision   none yet");
            }

            if (environment.Replicas.Count == 0)
            {
                text.AppendLine("  replicas   none");
                continue;
            }

            text.AppendLine($"  {"REPLICA",-28} {"STATE",-9} {"IN-FLIGHT",-9} {"IDLE FOR",-9} {"DONE",-6} PID OR CONTAINER");
            foreach (var replica in environment.Replicas)
            {
                var idle = replica.IdleFor is { } idleFor ? DurationText.Format(TimeSpan.FromSeconds(Math.Floor(idleFor.TotalSeconds))) : "-";
                text.AppendLine(
                    $"  {replica.Id,-28} {replica.State,-9} {$"{replica.InFlight}/{replica.Concurrency}",-9} {idle,-9} {replica.TasksDone,-6} {replica.RuntimeId}{(replica.Image is null ? "" : "  " + replica.Image)}");
            }
        }

        return text.ToString().TrimEnd();
    }
}
