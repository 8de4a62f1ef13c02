using System.Text.RegularExpressions;

namespace ReuseQueue.Core.Configuration;

/// <summary>
/// The checks on connection values that apply alike to the config file and to the environment variables
/// that override it. Each returns null when the value is valid, or the error message.
/// </summary>
internal static partial class ConnectionRules
{
    public const string AmqpPasswordHint =
        $"set {ConfigEnvironmentVariables.AmqpPassword} or {ConfigEnvironmentVariables.AmqpPasswordFile} instead";

    public const string RedisPasswordHint =
        $"set {ConfigEnvironmentVariables.RedisPassword} or {ConfigEnvironmentVariables.RedisPasswordFile} instead";

    public const string AnyPasswordHint =
        $"set {ConfigEnvironmentVariables.AmqpPassword} or {ConfigEnvironmentVariables.RedisPassword}, "
        + "or the same names with _FILE for a secret file, instead";

    public static string? CheckAmqpUri(string text, out Uri? uri)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out uri) || uri.Scheme is not ("amqp" or "amqps"))
        {
            uri = null;
            return $"invalid AMQP URI '{WithoutUserInfo(text)}': use amqp://host:port/ or amqps://host:port/, e.g. {BrokerSettings.DefaultAmqpUri}";
        }

        return HasPassword(uri) ? $"the URI must not contain a password; {AmqpPasswordHint}" : null;
    }

    public static string? CheckManagementUrl(string text, out Uri? uri)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https"))
        {
            uri = null;
            return $"invalid management URL '{WithoutUserInfo(text)}': use http://host:port/ or https://host:port/, e.g. {BrokerSettings.DefaultManagementUrl}";
        }

        return HasPassword(uri) ? $"the URL must not contain a password; {AmqpPasswordHint}" : null;
    }

    public static string? CheckRedisConfiguration(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return $"must not be empty; use host:port, e.g. {RedisSettings.DefaultConfiguration}";
        }

        return text.Contains("password=", StringComparison.OrdinalIgnoreCase)
            ? $"the configuration string must not contain a password; {RedisPasswordHint}"
            : null;
    }

    public static string? CheckKeyPrefix(string text) =>
        text.Length == 0 ? "must not be empty; use a short prefix ending in ':', e.g. reuseq:" : null;

    /// <summary>Returns the user name of a URI such as <c>amqp://user@host/</c>, or null when it names none.</summary>
    public static string? UserOf(Uri uri) =>
        uri.UserInfo.Length == 0 ? null : Uri.UnescapeDataString(uri.UserInfo.Split(':')[0]);

    private static bool HasPassword(Uri uri) => uri.UserInfo.Contains(':');

    /// <summary>Replaces the user information of a URI-like text with '***', so that an error never shows a password.</summary>
    private static string WithoutUserInfo(string text) => UserInfoPattern().Replace(text, "://***@");

    [GeneratedRegex("://[^/@]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfoPattern();
}
