using System.Text.RegularExpressions;

namespace ReuseQueue.Core.Configuration;

/// <summary>Matches image references against the glob patterns of <see cref="AutoscalerSettings.AllowedImages"/>.</summary>
public static class ImageAllowList
{
    /// <summary>
    /// Returns whether <paramref name="image"/> matches one of <paramref name="patterns"/>, or true when there are none.
    /// In a pattern <c>*</c> matches any run of characters, '/' and ':' included, and <c>?</c> matches one character.
    /// </summary>
    public static bool IsAllowed(string image, IReadOnlyList<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(patterns);
        return patterns.Count == 0 || patterns.Any(pattern => Matches(image, pattern));
    }

    private static bool Matches(string image, string pattern)
    {
        var expression = "^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$";
        return Regex.IsMatch(image, expression, RegexOptions.CultureInvariant);
    }
}
