using System.Text.RegularExpressions;

namespace ReuseQueue.Contracts;

/// <summary>
/// The rule for task environment names. A name becomes part of a queue name, a Redis key,
/// a container label and later a Kubernetes label, so it follows the strictest of them:
/// an RFC 1123 DNS label (lowercase letters, digits and '-', at most 63 characters).
/// </summary>
public static partial class EnvironmentName
{
    /// <summary>The maximum length of an environment name, in characters.</summary>
    public const int MaxLength = 63;

    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule =
        "1 to 63 lowercase letters, digits or '-', starting and ending with a letter or digit";

    /// <summary>Returns whether <paramref name="name"/> is a valid environment name.</summary>
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>Throws <see cref="ArgumentException"/> naming the rule when the name is invalid.</summary>
    public static string Require(string? name, string parameterName = "environment")
    {
        if (!IsValid(name))
        {
            throw new ArgumentException(
                $"Invalid environment name '{name}': use {Rule}.", parameterName);
        }

        return name!;
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
