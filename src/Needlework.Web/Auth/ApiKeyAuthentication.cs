using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Needlework.Web.Auth;

/// <summary>
/// openQA's API authentication: X-API-Key, X-API-Microtime (integer Unix seconds) and X-API-Hash, the hex
/// HMAC-SHA1 with the secret over the request path, "?query" when there is one, and the timestamp.
/// </summary>
public sealed class ApiKeyAuthentication(ApiKeyService keys, ReplayGuard replay, TimeProvider time, IOptions<WebUiOptions> options)
{
    public const string UserItem = "needlework.user";

    // Bodies up to this size are digested for replay detection; larger ones are multipart uploads whose random boundary differs per request.
    private const long DigestLimit = 16L << 20;

    /// <summary>Returns null when the request is signed correctly, else the reason to refuse it.</summary>
    public async Task<string?> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Request.Headers;
        var key = headers["X-API-Key"].ToString();
        var hash = headers["X-API-Hash"].ToString();
        var microtime = headers["X-API-Microtime"].ToString();
        if (key.Length == 0 || hash.Length == 0 || microtime.Length == 0)
        {
            return "no api key";
        }

        if (!long.TryParse(microtime, NumberStyles.Integer, CultureInfo.InvariantCulture, out var timestamp))
        {
            return "timestamp mismatch";
        }

        var tolerance = options.Value.ApiTimestampTolerance;
        var now = time.GetUtcNow();
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > tolerance.TotalSeconds)
        {
            return "timestamp mismatch";
        }

        var apiKey = await keys.FindAsync(key, cancellationToken);
        if (apiKey is null)
        {
            return "api key not found";
        }

        if (apiKey.TExpiration is { } expiry && expiry <= now)
        {
            return "api key expired";
        }

        var matched = false;
        foreach (var message in Messages(context))
        {
            var expected = Sign(apiKey.Secret, message + microtime);
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(hash.ToLowerInvariant())))
            {
                matched = true;
                break;
            }
        }

        if (!matched)
        {
            return "unknown error (wrong secret?)";
        }

        var digest = await BodyDigestAsync(context.Request, cancellationToken);
        if (!replay.TryUse(key + ":" + hash + ":" + digest, tolerance * 2))
        {
            return "replayed request";
        }

        context.Items[UserItem] = apiKey.User;
        return null;
    }

    // SHA-1 is openQA's choice, kept for openqa-cli compatibility; HMAC-SHA1 is still sound as a MAC.
#pragma warning disable CA5350
    public static string Sign(string secret, string message) =>
        Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(message)));
#pragma warning restore CA5350

    // The client hashes the path and query as it wrote them, with %20 in the query written as '+';
    // accept the target exactly as received and that normalised form.
    private static IEnumerable<string> Messages(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || !raw.StartsWith('/'))
        {
            raw = context.Request.PathBase.ToUriComponent() + context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent();
        }

        yield return raw;
        var q = raw.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            var normalised = string.Concat(raw.AsSpan(0, q), raw[q..].Replace("%20", "+", StringComparison.Ordinal));
            if (normalised != raw)
            {
                yield return normalised;
            }
        }
    }

    private static async Task<string> BodyDigestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is null or 0 || request.ContentLength > DigestLimit)
        {
            return request.ContentType + "/" + request.ContentLength;
        }

        request.EnableBuffering();
        var digest = await SHA256.HashDataAsync(request.Body, cancellationToken);
        request.Body.Position = 0;
        return Convert.ToHexString(digest);
    }
}
