using Needlework.Worker.WebUi;

namespace Needlework.Worker.Tests.Infrastructure;

/// <summary>Signs test requests to the web UI the way openqa-cli does.</summary>
public sealed class SigningHandler(string key, string secret) : DelegatingHandler(new HttpClientHandler())
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in ApiSignature.Headers(request.RequestUri!.PathAndQuery, key, secret, DateTimeOffset.UtcNow))
        {
            request.Headers.Remove(name);
            request.Headers.Add(name, value);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
