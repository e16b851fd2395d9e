using Needlework.Worker.WebUi;

namespace Needlework.Cli.Demo;

/// <summary>Signs every request to the web UI as openqa-cli does (X-API-Key, X-API-Microtime, X-API-Hash).</summary>
internal sealed class SigningHandler(string key, string secret, TimeProvider time) : DelegatingHandler(new HttpClientHandler())
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in ApiSignature.Headers(request.RequestUri!.PathAndQuery, key, secret, time.GetUtcNow()))
        {
            request.Headers.Remove(name);
            request.Headers.Add(name, value);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
