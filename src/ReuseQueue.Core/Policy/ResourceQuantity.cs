using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ReuseQueue.Core.Policy;

/// <summary>
/// Parses Kubernetes-style resource quantities: memory in bytes (<c>512Mi</c>, <c>1Gi</c>,
/// <c>1G</c>, <c>1000000</c>, <c>1.5Gi</c>) and CPU in millicores (<c>500m</c>, <c>1</c>,
/// <c>0.5</c>, <c>2</c>). Exponent forms such as <c>1e9</c> are not accepted.
/// </summary>
public static partial class ResourceQuantity
{
    /// <summary>The accepted memory forms in words, for error messages.</summary>
    public const string MemoryForms =
        "a whole number of bytes (1000000) or a number with a suffix Ki, Mi, Gi, Ti, Pi, Ei "
        + "(powers of 1024) or k, M, G, T, P, E (powers of 1000), e.g. 512Mi, 1.5Gi, 1G";

    /// <summary>The accepted CPU forms in words, for error messages.</summary>
    public const string CpuForms = "cores (1, 0.5, 2) or millicores with the suffix m (500m)";

    private static readonly Dictionary<string, decimal> MemoryMultipliers = new(StringComparer.Ordinal)
    {
        [""] = 1m,
        ["k"] = 1e3m,
        ["M"] = 1e6m,
        ["G"] = 1e9m,
        ["T"] = 1e12m,
        ["P"] = 1e15m,
        ["E"] = 1e18m,
        ["Ki"] = 1024m,
        ["Mi"] = 1024m * 1024,
        ["Gi"] = 1024m * 1024 * 1024,
        ["Ti"] = 1024m * 1024 * 1024 * 1024,
        ["Pi"] = 1024m * 1024 * 1024 * 1024 * 1024,
        ["Ei"] = 1024m * 1024 * 1024 * 1024 * 1024 * 1024,
    };

    /// <summary>Parses a memory quantity into bytes, rounding a fraction of a byte up as Kubernetes does.</summary>
    /// <exception cref="FormatException">The value is not a positive memory quantity; the message names the value and the accepted forms.</exception>
    public static long ParseMemory(string value) =>
        TryParseMemory(value, out var bytes, out var error) ? bytes : throw new FormatException(error);

    /// <summary>Parses a CPU quantity into millicores.</summary>
    /// <exception cref="FormatException">The value is not a positive CPU quantity; the message names the value and the accepted forms.</exception>
    public static long ParseCpu(string value) =>
        TryParseCpu(value, out var millicores, out var error) ? millicores : throw new FormatException(error);

    /// <summary>Parses a memory quantity into bytes, or returns false with an error message.</summary>
    public static bool TryParseMemory(string? value, out long bytes, [NotNullWhen(false)] out string? error)
    {
        bytes = 0;
        if (!TrySplit(value, out var number, out var suffix) || !MemoryMultipliers.TryGetValue(suffix, out var multiplier))
        {
            error = $"invalid memory quantity '{value}': use {MemoryForms}";
            return false;
        }

        var exact = number * multiplier;
        if (exact <= 0)
        {
            error = $"invalid memory quantity '{value}': must be greater than 0 bytes";
            return false;
        }

        if (exact > long.MaxValue)
        {
            error = $"invalid memory quantity '{value}': larger than {long.MaxValue} bytes";
            return false;
        }

        bytes = (long)decimal.Ceiling(exact);
        error = null;
        return true;
    }

    /// <summary>Parses a CPU quantity into millicores, or returns false with an error message.</summary>
    public static bool TryParseCpu(string? value, out long millicores, [NotNullWhen(false)] out string? error)
    {
        millicores = 0;
        if (!TrySplit(value, out var number, out var suffix) || suffix is not ("" or "m"))
        {
            error = $"invalid cpu quantity '{value}': use {CpuForms}";
            return false;
        }

        var exact = suffix == "m" ? number : number * 1000m;
        if (exact <= 0)
        {
            error = $"invalid cpu quantity '{value}': must be greater than 0";
            return false;
        }

        if (exact != decimal.Truncate(exact))
        {
            error = $"invalid cpu quantity '{value}': the smallest unit is 1m (a thousandth of a core)";
            return false;
        }

        if (exact > long.MaxValue)
        {
            error = $"invalid cpu quantity '{value}': larger than {long.MaxValue} millicores";
            return false;
        }

        millicores = (long)exact;
        error = null;
        return true;
    }

    private static bool TrySplit(string? value, out decimal number, out string suffix)
    {
        number = 0;
        suffix = "";
        var match = value is null ? null : QuantityPattern().Match(value);
        if (match is null || !match.Success)
        {
            return false;
        }

        suffix = match.Groups["suffix"].Value;
        return decimal.TryParse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number);
    }

    [GeneratedRegex(@"^(?<number>[0-9]+(\.[0-9]+)?|\.[0-9]+)(?<suffix>[A-Za-z]{0,2})$", RegexOptions.CultureInvariant)]
    private static partial Regex QuantityPattern();
}
