namespace ReuseQueue.IntegrationTests.Infrastructure;

/// <summary>Polls a condition until it holds, for tests that wait on other processes.</summary>
public static class WaitFor
{
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>; the message names <paramref name="description"/>.</exception>
    public static async Task ConditionAsync(Func<Task<bool>> condition, TimeSpan timeout, string description)
    {
        var giveUpAt = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > giveUpAt)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {description}.");
            }

            await Task.Delay(50);
        }
    }

    /// <inheritdoc cref="ConditionAsync(Func{Task{bool}}, TimeSpan, string)"/>
    public static Task ConditionAsync(Func<bool> condition, TimeSpan timeout, string description) =>
        ConditionAsync(() => Task.FromResult(condition()), timeout, description);
}
