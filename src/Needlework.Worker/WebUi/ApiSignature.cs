using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Needlework.Worker.WebUi;

/// <summary>openQA's request signature: X-API-Key, X-API-Microtime (Unix seconds), X-API-Hash = hex HMAC-SHA1(secret, path?query + time).</summary>
public static class ApiSignature
{
    // SHA-1 because openQA's web UI checks exactly this; as an HMAC it is still sound.
#pragma warning disable CA5350
    public static string Sign(string secret, string message) =>
        Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(message)));
#pragma warning restore CA5350

    /// <summary>The three headers for a request to <paramref name="pathAndQuery"/> made at <paramref name="now"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Headers(string pathAndQuery, string key, string secret, DateTimeOffset now)
    {
        var stamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        yield return new("X-API-Key", key);
        yield return new("X-API-Microtime", stamp);
        yield return new("X-API-Hash", Sign(secret, pathAndQuery + stamp));
    }
}
