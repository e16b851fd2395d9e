using Needlework.Web.Auth;

namespace Needlework.Web.Tests.Infrastructure;

/// <summary>Signs requests as openqa-cli does: HMAC-SHA1(secret, path?query + timestamp).</summary>
public sealed class HmacHandler(string key, string secret, Func<long>? clock = null) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Sign(request.Headers, request.RequestUri!.PathAndQuery, key, secret, clock?.Invoke() ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        return base.SendAsync(request, cancellationToken);
    }

    public static void SignDictionary(Microsoft.AspNetCore.Http.IHeaderDictionary headers, string pathAndQuery, string key, string secret)
    {
        var stamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["X-API-Key"] = key;
        headers["X-API-Microtime"] = stamp;
        headers["X-API-Hash"] = ApiKeyAuthentication.Sign(secret, pathAndQuery + stamp);
    }

    public static void Sign(System.Net.Http.Headers.HttpHeaders headers, string pathAndQuery, string key, string secret, long timestamp)
    {
        var stamp = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers.Remove("X-API-Key");
        headers.Remove("X-API-Microtime");
        headers.Remove("X-API-Hash");
        headers.Add("X-API-Key", key);
        headers.Add("X-API-Microtime", stamp);
        headers.Add("X-API-Hash", ApiKeyAuthentication.Sign(secret, pathAndQuery + stamp));
    }
}
