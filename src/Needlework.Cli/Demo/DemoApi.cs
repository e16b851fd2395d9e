using System.Globalization;
using System.Text.Json;

namespace Needlework.Cli.Demo;

/// <summary>The few REST API v1 calls the demo makes, as any openqa-cli user would make them.</summary>
internal sealed class DemoApi(HttpClient http)
{
    public const string KnownFailureName = "SUT too slow (demo)";

    public async Task<long> CreateJobAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(settings);
        using var response = await http.PostAsync(new Uri("api/v1/jobs", UriKind.Relative), content, cancellationToken);
        using var doc = await ReadAsync(response, cancellationToken);
        return doc.RootElement.GetProperty("id").GetInt64();
    }

    public async Task<JsonElement> GetJobAsync(long id, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"api/v1/jobs/{id}", UriKind.Relative), cancellationToken);
        using var doc = await ReadAsync(response, cancellationToken);
        return doc.RootElement.GetProperty("job").Clone();
    }

    public async Task CancelJobAsync(long id, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(new Uri($"api/v1/jobs/{id}/cancel", UriKind.Relative), null, cancellationToken);
        using var _ = await ReadAsync(response, cancellationToken);
    }

    /// <summary>
    /// Cancels jobs an earlier, interrupted demo left scheduled or running in this database: they would
    /// otherwise be taken first by the worker (same priority, lower id). Returns their ids.
    /// </summary>
    public async Task<IReadOnlyList<long>> CancelLeftoversAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri("api/v1/jobs?state=scheduled,assigned,setup,running,uploading", UriKind.Relative), cancellationToken);
        using var doc = await ReadAsync(response, cancellationToken);
        var ids = doc.RootElement.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetInt64()).ToList();
        foreach (var id in ids)
        {
            await CancelJobAsync(id, cancellationToken);
        }

        return ids;
    }

    /// <summary>The known failure that makes auto-retrigger clone jobs stopped for a slow SUT; created once per database.</summary>
    public async Task<bool> EnsureKnownFailureAsync(CancellationToken cancellationToken)
    {
        using (var list = await http.GetAsync(new Uri("api/v1/known_failures", UriKind.Relative), cancellationToken))
        using (var doc = await ReadAsync(list, cancellationToken))
        {
            if (doc.RootElement.GetProperty("known_failures").EnumerateArray().Any(k => k.GetProperty("name").GetString() == KnownFailureName))
            {
                return false;
            }
        }

        using var content = new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = KnownFailureName,
            ["category_pattern"] = "slow_sut",
            ["retrigger"] = "1",
        });
        using var response = await http.PostAsync(new Uri("api/v1/known_failures", UriKind.Relative), content, cancellationToken);
        using var created = await ReadAsync(response, cancellationToken);
        return true;
    }

    private static async Task<JsonDocument> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(string.Create(CultureInfo.InvariantCulture, $"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {body}"));
        }

        return JsonDocument.Parse(body);
    }
}
