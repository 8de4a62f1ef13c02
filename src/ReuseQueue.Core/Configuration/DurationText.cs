using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ReuseQueue.Core.Configuration;

/// <summary>
/// Parses and formats durations as the config file writes them: whole numbers with the units
/// <c>h</c>, <c>m</c>, <c>s</c> and <c>ms</c>, largest first, e.g. <c>500ms</c>, <c>30s</c>,
/// <c>10m</c>, <c>1h</c>, <c>1m30s</c>.
/// </summary>
public static partial class DurationText
{
    /// <summary>The accepted forms in words, for error messages.</summary>
    public const string Forms =
        "a whole number with a unit ms, s, m or h, or several from largest to smallest, e.g. 500ms, 30s, 10m, 1h, 1m30s";

    /// <summary>Parses a duration.</summary>
    /// <exception cref="FormatException">The text is not a duration; the message names it and the accepted forms.</exception>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var duration, out var error) ? duration : throw new FormatException(error);

    /// <summary>Parses a duration, or returns false with an error message that names the text and the accepted forms.</summary>
    public static bool TryParse(string? text, out TimeSpan duration, [NotNullWhen(false)] out string? error)
    {
        duration = TimeSpan.Zero;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.StartsWith('-'))
        {
            error = $"invalid duration '{text}': must not be negative; use {Forms}";
            return false;
        }

        var match = DurationPattern().Match(trimmed);
        if (trimmed.Length == 0 || !match.Success)
        {
            var hint = long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? "missing unit; " : "";
            error = $"invalid duration '{text}': {hint}use {Forms}";
            return false;
        }

        try
        {
            var milliseconds = checked(
                Component(match, "h") * 3_600_000
                + Component(match, "m") * 60_000
                + Component(match, "s") * 1_000
                + Component(match, "ms"));
            duration = TimeSpan.FromMilliseconds(milliseconds);
        }
        catch (Exception exception) when (exception is OverflowException or ArgumentOutOfRangeException)
        {
            error = $"invalid duration '{text}': too long";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// Formats a duration in the form <see cref="Parse"/> reads, e.g. <c>1m30s</c>, <c>500ms</c>, <c>0s</c>.
    /// Fractions of a millisecond are dropped, and a negative duration starts with '-'.
    /// </summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            return "-" + Format(duration.Duration());
        }

        var builder = new StringBuilder();
        var hours = (long)duration.TotalHours;
        Append(builder, hours, "h");
        Append(builder, duration.Minutes, "m");
        Append(builder, duration.Seconds, "s");
        Append(builder, duration.Milliseconds, "ms");
        return builder.Length == 0 ? "0s" : builder.ToString();
    }

    private static void Append(StringBuilder builder, long value, string unit)
    {
        if (value != 0)
        {
            builder.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }

    private static long Component(Match match, string unit)
    {
        var group = match.Groups[unit];
        return group.Success ? long.Parse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"^(?:(?<h>[0-9]{1,18})h)?(?:(?<m>[0-9]{1,18})m(?!s))?(?:(?<s>[0-9]{1,18})s)?(?:(?<ms>[0-9]{1,18})ms)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
